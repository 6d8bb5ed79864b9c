import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { ArgoCdInstance } from '../config';
import type { ArgoCdApplication, ArgoCdAppRef } from './types';

/** Options of one call. */
export interface ArgoCdCallOptions {
  /** The scan's signal: aborting it aborts the request. */
  signal?: AbortSignal;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads applications from one Argo CD API server with its bearer token. Every failure is an
 * error naming the application and the instance, never quoting the token.
 */
export class ArgoCdClient {
  constructor(
    private readonly instance: ArgoCdInstance,
    private readonly timeoutMs: number,
  ) {}

  /** `GET /api/v1/applications/{name}`: the application with its destination and status. */
  async getApplication(
    app: ArgoCdAppRef,
    options: ArgoCdCallOptions = {},
  ): Promise<ArgoCdApplication> {
    const body = await this.get(app, '', options);
    if (!isObject(body)) {
      throw new Error(`${this.where(app)}: the application is not a JSON object`);
    }
    return body as ArgoCdApplication;
  }

  /**
   * `GET /api/v1/applications/{name}/manifests`: the objects Argo CD renders from the
   * application's sources at their target revision, each a JSON document.
   */
  async getManifests(
    app: ArgoCdAppRef,
    options: ArgoCdCallOptions = {},
  ): Promise<string[]> {
    const body = await this.get(app, '/manifests', options);
    const manifests = isObject(body) ? body.manifests ?? [] : undefined;
    if (
      !Array.isArray(manifests) ||
      !manifests.every(m => typeof m === 'string')
    ) {
      throw new Error(`${this.where(app)}: manifests is not a list of strings`);
    }
    return manifests;
  }

  private where(app: ArgoCdAppRef): string {
    return `Argo CD application '${app.name}' at instance ${this.instance.name}`;
  }

  private async get(
    app: ArgoCdAppRef,
    suffix: string,
    options: ArgoCdCallOptions,
  ): Promise<unknown> {
    const { instance } = this;
    if (!instance.token) {
      throw new NotAllowedError(
        `Argo CD instance ${instance.name} has no token in argocd.appLocatorMethods`,
      );
    }
    const url = new URL(
      `${instance.url}/api/v1/applications/${encodeURIComponent(app.name)}${suffix}`,
    );
    if (app.appNamespace) url.searchParams.set('appNamespace', app.appNamespace);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: {
          Authorization: `Bearer ${instance.token}`,
          Accept: 'application/json',
        },
        // The token is for this server only: a redirect is a failure, not something to follow.
        redirect: 'error',
        signal: options.signal
          ? AbortSignal.any([options.signal, timeout])
          : timeout,
      });
    } catch (error) {
      if (timeout.aborted && !options.signal?.aborted) {
        throw new ServiceUnavailableError(
          `Argo CD instance ${instance.name} did not answer within ${this.timeoutMs} ms for app '${app.name}'`,
        );
      }
      throw new ServiceUnavailableError(
        `Cannot reach Argo CD instance ${instance.name} for app '${app.name}'`,
        error,
      );
    }
    if (response.status === 401 || response.status === 403) {
      // Argo CD also answers 403 for an application the account may not see, so as not to
      // reveal whether it exists.
      throw new NotAllowedError(
        `Argo CD refused the token for app '${app.name}' at instance ${instance.name} (HTTP ${response.status})`,
      );
    }
    if (response.status === 404) {
      throw new NotFoundError(
        `No Argo CD application '${app.name}' at instance ${instance.name}`,
      );
    }
    if (!response.ok) {
      throw new ServiceUnavailableError(
        `${this.where(app)} could not be read: HTTP ${response.status}`,
      );
    }
    try {
      return await response.json();
    } catch (error) {
      if (timeout.aborted && !options.signal?.aborted) {
        throw new ServiceUnavailableError(
          `Argo CD instance ${instance.name} did not answer within ${this.timeoutMs} ms for app '${app.name}'`,
        );
      }
      throw new Error(`${this.where(app)}: the answer is not JSON`);
    }
  }
}
