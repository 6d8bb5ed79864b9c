import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createConfiguration,
  HttpMethod,
  KubeConfig,
  ServerConfiguration,
  type Configuration,
  type User,
} from '@kubernetes/client-node';
import { CustomErrorBase } from '@backstage/errors';
import {
  splitApiVersion,
  type JsonObject,
  type KubeObject,
} from '@driftwatch/plugin-drift-common';
import { ConcurrencyLimiter } from './ConcurrencyLimiter';
import {
  isInClusterApi,
  type KubernetesClusterDetails,
} from './readClusterConfig';
import type {
  ClusterView,
  ListRequest,
  LiveCluster,
  OpenClusterOptions,
  ServedKind,
} from './types';

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const IN_CLUSTER_CA = '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt';
/** Asks the API server for object metadata only (no spec, no data): small and value-free. */
const METADATA_LIST =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1, application/json';

/** A GET whose connection is lost is sent at most this many times in all. */
const GET_ATTEMPTS = 3;
const RETRY_DELAY_MS = 100;
/** Error codes of a connection lost mid-exchange: reset, broken pipe, or closed before the body ended. */
const CONNECTION_LOSS = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);

function isConnectionLoss(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, errno, cause } = e as { code?: unknown; errno?: unknown; cause?: unknown };
    if (CONNECTION_LOSS.has(String(code)) || CONNECTION_LOSS.has(String(errno))) return true;
    e = cause;
  }
  return false;
}

/** How an {@link ApiCluster} pages and paces its requests. */
export interface ApiClusterOptions {
  /** Objects per LIST page (`limit`); the rest is fetched with `continue` tokens. */
  pageSize: number;
  /** Requests in flight to this cluster at once. */
  concurrency: number;
  /** Per request, in milliseconds. */
  requestTimeoutMs: number;
}

/**
 * A request to the API server failed. The message names the request path and never includes a
 * response body beyond the API server's own status message.
 */
export class KubernetesApiError extends CustomErrorBase {
  name = 'KubernetesApiError' as const;

  constructor(
    message: string,
    /** HTTP status, absent when no response arrived (refused, timed out, TLS). */
    readonly statusCode?: number,
    cause?: unknown,
  ) {
    super(message, cause);
  }
}

function userFor(details: KubernetesClusterDetails): User {
  if (details.auth.type === 'none') return { name: 'anonymous' };
  if (details.auth.token)
    return { name: 'service-account', token: details.auth.token };
  // No token configured: Backstage runs in a pod and uses its own service account, whose token
  // the kubelet rotates on disk (client-node re-reads the file every minute). That token is
  // never sent to any other server.
  if (!isInClusterApi(details.url)) {
    throw new Error(
      `Cluster '${details.name}' has no serviceAccountToken, and the pod's own token is only ` +
        `sent to the in-cluster API`,
    );
  }
  return {
    name: 'in-cluster',
    authProvider: {
      name: 'tokenFile',
      config: { tokenFile: IN_CLUSTER_TOKEN },
    },
  };
}

/** Builds the client-node configuration for one cluster of the Kubernetes plugin's config. */
export function kubeConfigFor(details: KubernetesClusterDetails): KubeConfig {
  const server = details.url.replace(/\/+$/, '');
  let caFile = details.caFile;
  if (
    details.auth.type === 'serviceAccount' &&
    !details.auth.token &&
    !details.caData &&
    !caFile &&
    fs.existsSync(IN_CLUSTER_CA)
  ) {
    caFile = IN_CLUSTER_CA;
  }
  const user = userFor(details);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: details.name,
        server,
        caData: details.caData,
        caFile,
        // client-node refuses plain http unless TLS verification is off; http URLs are what
        // `kubectl proxy` (and the Kubernetes plugin's localKubectlProxy) serve.
        skipTLSVerify: details.skipTLSVerify || server.startsWith('http:'),
      },
    ],
    users: [user],
    contexts: [{ name: details.name, cluster: details.name, user: user.name }],
    currentContext: details.name,
  });
  return kubeConfig;
}

function statusMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text);
    if (body && typeof body.message === 'string')
      return body.message.slice(0, 300);
  } catch {
    // not a Status object; the HTTP status alone describes the failure
  }
  return undefined;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function failure(path: string, status: number, message?: string) {
  return new KubernetesApiError(
    `GET ${path} answered ${status}${message ? ` (${message})` : ''}`,
    status,
  );
}

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

function listItems(body: JsonObject): JsonObject[] {
  return Array.isArray(body.items) ? body.items.filter(isObject) : [];
}

/** `openAPIV3Schema` of each version a CRD serves, by version name. */
function crdVersionSchemas(crd: JsonObject): Map<string, JsonObject> {
  const versions = new Map<string, JsonObject>();
  const spec = isObject(crd.spec) ? crd.spec : {};
  for (const version of Array.isArray(spec.versions) ? spec.versions : []) {
    if (!isObject(version) || typeof version.name !== 'string') continue;
    const schema = isObject(version.schema) ? version.schema.openAPIV3Schema : undefined;
    if (isObject(schema)) versions.set(version.name, schema);
  }
  return versions;
}

/** One round's view of an {@link ApiCluster}: discovery is cached for the round. */
class ApiClusterView implements ClusterView {
  private readonly discovery = new Map<
    string,
    Promise<JsonObject[] | undefined>
  >();

  constructor(
    private readonly cluster: ApiCluster,
    private readonly signal?: AbortSignal,
  ) {}

  /** The resources of an API group version; undefined when the cluster does not serve it. */
  discover(apiVersion: string): Promise<JsonObject[] | undefined> {
    let pending = this.discovery.get(apiVersion);
    if (!pending) {
      pending = this.fetchDiscovery(apiVersion);
      this.discovery.set(apiVersion, pending);
    }
    return pending;
  }

  private async fetchDiscovery(
    apiVersion: string,
  ): Promise<JsonObject[] | undefined> {
    const core = !apiVersion.includes('/');
    const path = core ? `/api/${apiVersion}` : `/apis/${apiVersion}`;
    const response = await this.cluster.get(path, {}, this.signal);
    // A group version that is not installed answers 404; the core group always exists.
    if (response.status === 404 && !core) return undefined;
    if (!response.body) {
      throw failure(path, response.status, response.message);
    }
    const resources = response.body.resources;
    return Array.isArray(resources) ? resources.filter(isObject) : [];
  }

  async resolveKind(
    apiVersion: string,
    kind: string,
  ): Promise<ServedKind | undefined> {
    const resources = await this.discover(apiVersion);
    // Subresources (`deployments/scale`) share kinds with other resources; skip them.
    const resource = resources?.find(
      candidate =>
        candidate.kind === kind &&
        typeof candidate.name === 'string' &&
        !candidate.name.includes('/'),
    );
    if (!resource) return undefined;
    return {
      apiVersion,
      kind,
      group: splitApiVersion(apiVersion).group,
      plural: resource.name as string,
      namespaced: resource.namespaced === true,
    };
  }

  async customResourceSchemas(
    kinds: ServedKind[],
  ): Promise<Map<string, JsonObject>> {
    // Groups without a dot (core, apps, batch, ...) are built in; CRD groups always have one.
    const candidates = kinds.filter(kind => kind.plural && kind.group.includes('.'));
    if (candidates.length === 0) return new Map();
    return this.cluster.customResourceSchemas(candidates, this.signal);
  }

  /** Every write to an object gives it a new resourceVersion; the uid tells a re-creation. */
  versionOf(object: KubeObject): string | undefined {
    const { uid, resourceVersion } = object.metadata ?? {};
    return typeof uid === 'string' && typeof resourceVersion === 'string' && resourceVersion
      ? `${uid}@${resourceVersion}`
      : undefined;
  }

  async list(request: ListRequest): Promise<KubeObject[]> {
    const { kind, namespace } = request;
    const base = kind.group
      ? `/apis/${kind.apiVersion}`
      : `/api/${kind.apiVersion}`;
    const scope =
      kind.namespaced && namespace
        ? `/namespaces/${encodeURIComponent(namespace)}`
        : '';
    const path = `${base}${scope}/${kind.plural}`;
    try {
      return await this.listPages(path, request);
    } catch (error) {
      // A continue token expires when the API server compacts its history mid-LIST (410 Gone).
      // Start over once; a second expiry means the list cannot be read consistently.
      if (error instanceof KubernetesApiError && error.statusCode === 410) {
        return this.listPages(path, request);
      }
      throw error;
    }
  }

  private async listPages(
    path: string,
    request: ListRequest,
  ): Promise<KubeObject[]> {
    const objects: KubeObject[] = [];
    let token: string | undefined;
    do {
      const query = {
        labelSelector: request.labelSelector,
        fieldSelector: request.fieldSelector,
        limit: String(this.cluster.pageSize),
        continue: token,
      };
      let response = await this.cluster.get(
        path,
        query,
        this.signal,
        request.metadataOnly ? METADATA_LIST : undefined,
      );
      if (response.status === 406 && request.metadataOnly) {
        // A server or proxy that refuses to negotiate: read whole objects, kept as metadata.
        response = await this.cluster.get(path, query, this.signal);
      }
      if (!response.body) {
        throw failure(path, response.status, response.message);
      }
      for (const item of listItems(response.body)) {
        // A server that cannot serve metadata alone answers whole objects: keep their metadata.
        const fields = request.metadataOnly ? { metadata: item.metadata } : item;
        // LIST items carry no apiVersion and kind of their own; they are the list's.
        objects.push({
          ...fields,
          apiVersion: request.kind.apiVersion,
          kind: request.kind.kind,
        } as KubeObject);
      }
      const metadata = response.body.metadata;
      const next = isObject(metadata) ? metadata.continue : undefined;
      token = typeof next === 'string' && next ? next : undefined;
    } while (token);
    return objects;
  }
}

/**
 * A live cluster read through `@kubernetes/client-node`: its KubeConfig handles credentials and
 * TLS, and its HTTP library sends the requests. Responses are kept as the API server's JSON
 * rather than deserialized into client-node's typed models, which drop fields the models do not
 * know and turn timestamps into Dates: a drift detector must see exactly what the cluster holds.
 */
export class ApiCluster implements LiveCluster {
  private readonly kubeConfig: KubeConfig;
  private readonly configuration: Configuration;
  /** Shared by every view, so concurrent rounds still respect the per-cluster limit. */
  private readonly limiter: ConcurrencyLimiter;
  /**
   * client-node builds a new agent for every request, so no connection would ever be reused
   * and a round of thousands of LISTs would open as many TCP and TLS connections. Requests share
   * one keep-alive agent instead, built from the same TLS options and rebuilt when they change
   * (rotated client certificates).
   */
  private agent?: { key: string; agent: http.Agent };
  /** Custom resource schemas by CRD name, kept while the CRD's resourceVersion holds. */
  private readonly crds = new Map<
    string,
    { resourceVersion: string; versions: Map<string, JsonObject> }
  >();

  constructor(
    private readonly details: KubernetesClusterDetails,
    private readonly options: ApiClusterOptions,
  ) {
    this.kubeConfig = kubeConfigFor(details);
    this.configuration = createConfiguration({
      baseServer: new ServerConfiguration<{}>(
        this.kubeConfig.getCurrentCluster()!.server,
        {},
      ),
    });
    this.limiter = new ConcurrencyLimiter(options.concurrency);
  }

  get name(): string {
    return this.details.name;
  }

  async open(options: OpenClusterOptions): Promise<ClusterView> {
    const view = new ApiClusterView(this, options.signal);
    // The core group is served by every API server: if it cannot be read, nothing can, and a
    // URL that answers 404 to everything must not pass for a cluster serving no kinds.
    await view.discover('v1');
    return view;
  }

  /**
   * GET `path` with `query`, as JSON (or as `accept` asks, e.g. metadata only). Throws
   * {@link KubernetesApiError}.
   *
   * A GET that loses its connection mid-exchange (reset, or closed before the body ended) is
   * sent again on a fresh connection, as client-go does for GETs: a keep-alive connection the
   * server dropped is not a cluster failure. Timeouts, aborts and refusals are not retried.
   */
  async get(
    path: string,
    query: Record<string, string | undefined>,
    signal?: AbortSignal,
    accept = 'application/json',
  ): Promise<{ status: number; body?: JsonObject; message?: string }> {
    return this.limiter.run(async () => {
      const where = `GET ${path}`;
      for (let attempt = 1; ; attempt++) {
        const timeout = AbortSignal.timeout(this.options.requestTimeoutMs);
        try {
          return await this.send(path, query, accept, signal, timeout);
        } catch (error) {
          if (timeout.aborted) {
            throw new KubernetesApiError(
              `${where} timed out after ${
                this.options.requestTimeoutMs / 1000
              } s`,
            );
          }
          if (error instanceof KubernetesApiError) throw error;
          if (signal?.aborted || attempt >= GET_ATTEMPTS || !isConnectionLoss(error)) {
            const tries = attempt > 1 ? ` (${attempt} attempts)` : '';
            throw new KubernetesApiError(`${where} failed${tries}`, undefined, error);
          }
          // An abort during the pause ends it; the next attempt then fails at once.
          await sleep(RETRY_DELAY_MS * attempt, undefined, { signal }).catch(() => {});
        }
      }
    });
  }

  private async send(
    path: string,
    query: Record<string, string | undefined>,
    accept: string,
    signal: AbortSignal | undefined,
    timeout: AbortSignal,
  ): Promise<{ status: number; body?: JsonObject; message?: string }> {
    const context = this.configuration.baseServer.makeRequestContext(
      path,
      HttpMethod.GET,
    );
    context.setHeaderParam('Accept', accept);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) context.setQueryParam(key, value);
    }
    context.setSignal(signal ? AbortSignal.any([signal, timeout]) : timeout);
    await this.kubeConfig.applySecurityAuthentication(context);
    const agent = this.keepAlive(context.getAgent());
    if (agent) context.setAgent(agent);
    const response = await this.configuration.httpApi.send(context).toPromise();
    const status = response.httpStatusCode;
    const text = await response.body.text();
    if (status < 200 || status > 299) {
      return { status, message: statusMessage(text) };
    }
    try {
      const body = JSON.parse(text);
      if (!isObject(body)) throw new Error('not a JSON object');
      return { status, body };
    } catch (error) {
      throw new KubernetesApiError(
        `GET ${path} returned a response that is not JSON`,
        status,
        error,
      );
    }
  }

  /** The shared keep-alive agent for one request's agent; proxy agents are left as they are. */
  private keepAlive(built: http.Agent | undefined): http.Agent | undefined {
    const isPlain = built?.constructor === http.Agent || built?.constructor === https.Agent;
    if (!built || !isPlain) return undefined;
    const options = (built as http.Agent & { options: https.AgentOptions }).options;
    const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } = options;
    const fingerprint = JSON.stringify([
      built.constructor === https.Agent,
      ca, cert, key, pfx, passphrase, rejectUnauthorized, servername,
    ]);
    if (this.agent?.key !== fingerprint) {
      this.agent?.agent.destroy();
      const shared = { ...options, keepAlive: true, maxSockets: this.options.concurrency };
      this.agent = {
        key: fingerprint,
        agent: built.constructor === https.Agent ? new https.Agent(shared) : new http.Agent(shared),
      };
    }
    return this.agent.agent;
  }

  get pageSize(): number {
    return this.options.pageSize;
  }

  /**
   * The structural schemas of the custom resource kinds among `kinds`, by `apiVersion|kind`.
   * One metadata-only LIST of the CustomResourceDefinitions per call tells which changed; a CRD
   * is read whole only when its resourceVersion is new, so schemas stay cached per cluster.
   */
  async customResourceSchemas(
    kinds: ServedKind[],
    signal?: AbortSignal,
  ): Promise<Map<string, JsonObject>> {
    const schemas = new Map<string, JsonObject>();
    const response = await this.get(CRD_PATH, {}, signal, METADATA_LIST);
    if (!response.body) {
      throw failure(CRD_PATH, response.status, response.message);
    }
    const current = new Map<string, string>();
    for (const item of listItems(response.body)) {
      const metadata = isObject(item.metadata) ? item.metadata : {};
      if (typeof metadata.name === 'string') {
        current.set(metadata.name, String(metadata.resourceVersion ?? ''));
      }
    }
    for (const name of this.crds.keys()) {
      if (!current.has(name)) this.crds.delete(name);
    }
    await Promise.all(
      kinds.map(async kind => {
        const name = `${kind.plural}.${kind.group}`;
        const resourceVersion = current.get(name);
        if (resourceVersion === undefined) return; // built in, or aggregated: not a CRD
        let cached = this.crds.get(name);
        if (!cached || cached.resourceVersion !== resourceVersion) {
          const path = `${CRD_PATH}/${encodeURIComponent(name)}`;
          const crd = await this.get(path, {}, signal);
          if (!crd.body) throw failure(path, crd.status, crd.message);
          cached = { resourceVersion, versions: crdVersionSchemas(crd.body) };
          this.crds.set(name, cached);
        }
        const version = splitApiVersion(kind.apiVersion).version;
        const schema = cached.versions.get(version);
        if (schema) schemas.set(`${kind.apiVersion}|${kind.kind}`, schema);
      }),
    );
    return schemas;
  }
}

