import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '@driftwatch/plugin-drift-common';
import {
  matchesFieldSelector,
  parseFieldSelector,
} from '../target/fieldSelector';
import {
  matchesLabelSelector,
  parseLabelSelector,
} from '../target/labelSelector';

/** A resource type the fake API server serves. */
export interface FakeResource {
  /** `''` for the core group. */
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

/** The built-in resources served unless a test passes its own list. */
export const BUILTIN_RESOURCES: FakeResource[] = [
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
  },
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true },
  {
    group: '',
    version: 'v1',
    kind: 'Service',
    plural: 'services',
    namespaced: true,
  },
  {
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    namespaced: true,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Secret',
    plural: 'secrets',
    namespaced: true,
  },
  {
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    namespaced: true,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'StatefulSet',
    plural: 'statefulsets',
    namespaced: true,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'DaemonSet',
    plural: 'daemonsets',
    namespaced: true,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'ReplicaSet',
    plural: 'replicasets',
    namespaced: true,
  },
  {
    group: 'batch',
    version: 'v1',
    kind: 'Job',
    plural: 'jobs',
    namespaced: true,
  },
  {
    group: 'batch',
    version: 'v1',
    kind: 'CronJob',
    plural: 'cronjobs',
    namespaced: true,
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    plural: 'ingresses',
    namespaced: true,
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    namespaced: true,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'Role',
    plural: 'roles',
    namespaced: true,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'RoleBinding',
    plural: 'rolebindings',
    namespaced: true,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'ClusterRole',
    plural: 'clusterroles',
    namespaced: false,
  },
  {
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    namespaced: true,
  },
];

/** What the server saw of one request. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  accept?: string;
  /** Set for LIST requests: the resource listed. */
  list?: { group: string; version: string; plural: string; namespace?: string };
}

/** Makes matching requests fail with a status, break off mid-response, or answer late. */
export interface FaultRule {
  /** Matched against the request path (without the query). */
  path: RegExp;
  /** HTTP status to answer with; omit for a delay only. */
  status?: number;
  /**
   * Sends the status line and the first bytes of a chunked body, then destroys the socket, as a
   * server does when it drops a keep-alive connection mid-response.
   */
  cut?: boolean;
  /** Milliseconds to wait before answering. */
  delayMs?: number;
  /** How many requests the rule applies to; every one when absent. */
  times?: number;
}

interface Token {
  list: string;
  offset: number;
}

function status(code: number, reason: string, message: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  406: 'NotAcceptable',
  410: 'Expired',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

/**
 * A loopback server that speaks the part of the Kubernetes REST API drift detection uses:
 * discovery (`/api/v1`, `/apis/{group}/{version}`) and LIST of namespaced and cluster-scoped
 * resources with `labelSelector` (equality and set-based), `fieldSelector` (equality), `limit`
 * and `continue` (410 Gone for an expired token), as whole objects or as metadata only (the
 * `PartialObjectMetadataList` of the Accept header). It checks the bearer token, injects failures and delays, and records
 * every request so tests can count LISTs. `@kubernetes/client-node` talks to it unchanged.
 */
export class FakeKubeApiServer {
  readonly requests: RecordedRequest[] = [];
  /** TCP connections accepted, to tell whether clients reuse theirs. */
  connections = 0;
  /**
   * Objects by group, kind and namespace, then by name: LISTs and replacements stay cheap
   * with tens of thousands of objects (the scan bench).
   */
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly faults: FaultRule[] = [];
  private expireTokens = 0;
  private resourceVersion = 1000;

  private constructor(
    private readonly server: http.Server,
    private readonly resources: FakeResource[],
    private readonly token?: string,
    private readonly metadataLists: 'serve' | 'ignore' | 'refuse' = 'serve',
  ) {}

  /**
   * Starts a server on a free loopback port. `token` makes it require that bearer token.
   * `metadataLists` says what a LIST asking for `PartialObjectMetadataList` gets: metadata only
   * (`serve`, as API servers do), whole objects (`ignore`, as a server that does not know the
   * format), or 406 Not Acceptable (`refuse`).
   */
  static async start(
    options: {
      token?: string;
      resources?: FakeResource[];
      metadataLists?: 'serve' | 'ignore' | 'refuse';
    } = {},
  ): Promise<FakeKubeApiServer> {
    const holder: { instance?: FakeKubeApiServer } = {};
    const server = http.createServer((req, res) => {
      holder.instance!.handle(req, res).catch(error => {
        res.statusCode = 500;
        res.end(JSON.stringify(status(500, 'InternalError', String(error))));
      });
    });
    const instance = new FakeKubeApiServer(
      server,
      options.resources ?? BUILTIN_RESOURCES,
      options.token,
      options.metadataLists,
    );
    holder.instance = instance;
    server.on('connection', () => instance.connections++);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  /** Stores objects as the cluster's live state (replacing any of the same identity). */
  add(...objects: KubeObject[]): this {
    for (const object of objects) {
      const key = bucketKey(
        groupOf(object.apiVersion),
        object.kind,
        object.metadata.namespace as string | undefined,
      );
      let bucket = this.objects.get(key);
      if (!bucket) {
        bucket = new Map();
        this.objects.set(key, bucket);
      }
      const stored = structuredClone(object);
      stored.metadata.resourceVersion = String(++this.resourceVersion);
      stored.metadata.uid = `uid-${this.resourceVersion}`;
      bucket.set(String(object.metadata.name), stored);
    }
    return this;
  }

  /**
   * Adds a fault: matching requests fail with `status`, or are `cut` off, and/or answer after
   * `delayMs`.
   */
  fault(rule: FaultRule): this {
    this.faults.push({ ...rule });
    return this;
  }

  /** The next `times` requests carrying a continue token answer 410 Gone. */
  expireContinueTokens(times = Number.POSITIVE_INFINITY): this {
    this.expireTokens = times;
    return this;
  }

  /** The LIST requests received, in order. */
  get lists(): RecordedRequest[] {
    return this.requests.filter(request => request.list);
  }

  private async handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      accept: req.headers.accept,
    };
    this.requests.push(recorded);
    const send = (code: number, body: unknown) => {
      res.statusCode = code;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(body));
    };

    for (const rule of this.faults) {
      if (!rule.path.test(url.pathname) || rule.times === 0) continue;
      if (rule.times !== undefined) rule.times--;
      if (rule.delayMs)
        await new Promise(resolve => setTimeout(resolve, rule.delayMs));
      if (rule.cut) {
        res.statusCode = 200;
        res.setHeader('Content-Type', 'application/json');
        res.flushHeaders();
        res.write('{"kind":"', () => res.socket?.destroy());
        return;
      }
      if (rule.status) {
        const reason = REASONS[rule.status] ?? 'Unknown';
        send(
          rule.status,
          status(
            rule.status,
            reason,
            `injected ${rule.status} for ${url.pathname}`,
          ),
        );
        return;
      }
    }
    if (this.token && req.headers.authorization !== `Bearer ${this.token}`) {
      send(401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    if (req.method !== 'GET') {
      send(405, status(405, 'MethodNotAllowed', 'only GET is served'));
      return;
    }

    const parts = url.pathname.split('/').filter(Boolean);
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api' && parts.length >= 2) {
      [group, version, rest] = ['', parts[1], parts.slice(2)];
    } else if (parts[0] === 'apis' && parts.length >= 3) {
      [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
    } else {
      send(
        404,
        status(
          404,
          'NotFound',
          'the server could not find the requested resource',
        ),
      );
      return;
    }
    const served = this.resources.filter(
      r => r.group === group && r.version === version,
    );
    if (served.length === 0) {
      send(
        404,
        status(
          404,
          'NotFound',
          'the server could not find the requested resource',
        ),
      );
      return;
    }
    if (rest.length === 0) {
      send(200, discovery(group, version, served));
      return;
    }

    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length === 3) {
      namespace = decodeURIComponent(rest[1]);
      rest = rest.slice(2);
    }
    const resource =
      rest.length === 1 ? served.find(r => r.plural === rest[0]) : undefined;
    if (!resource || (namespace !== undefined && !resource.namespaced)) {
      // A GET of a single object (or anything else) is not part of what drift detection does.
      send(
        404,
        status(
          404,
          'NotFound',
          'the server could not find the requested resource',
        ),
      );
      return;
    }
    recorded.list = { group, version, plural: resource.plural, namespace };
    const metadataOnly = /as=PartialObjectMetadataList/.test(
      req.headers.accept ?? '',
    );
    if (metadataOnly && this.metadataLists === 'refuse') {
      send(
        406,
        status(406, 'NotAcceptable', 'only application/json is served'),
      );
      return;
    }
    this.list(
      resource,
      namespace,
      url.searchParams,
      send,
      metadataOnly && this.metadataLists === 'serve',
    );
  }

  private list(
    resource: FakeResource,
    namespace: string | undefined,
    query: URLSearchParams,
    send: (code: number, body: unknown) => void,
    metadataOnly: boolean,
  ): void {
    let selector;
    let fields;
    try {
      selector = parseLabelSelector(query.get('labelSelector') ?? '');
      fields = parseFieldSelector(query.get('fieldSelector') ?? '');
    } catch (error) {
      send(400, status(400, 'BadRequest', String(error)));
      return;
    }
    const listKey = `${resource.group}/${resource.kind}/${namespace ?? ''}/${
      query.get('labelSelector') ?? ''
    }/${query.get('fieldSelector') ?? ''}`;
    let offset = 0;
    const continueToken = query.get('continue');
    if (continueToken) {
      if (this.expireTokens > 0) {
        this.expireTokens--;
        send(
          410,
          status(
            410,
            'Expired',
            'The provided continue parameter is too old to display a consistent list result.',
          ),
        );
        return;
      }
      const token = JSON.parse(
        Buffer.from(continueToken, 'base64url').toString(),
      ) as Token;
      if (token.list !== listKey) {
        send(
          400,
          status(
            400,
            'BadRequest',
            'continue token does not belong to this list',
          ),
        );
        return;
      }
      offset = token.offset;
    }
    const candidates =
      namespace === undefined
        ? [...this.objects.entries()]
            .filter(([key]) =>
              key.startsWith(bucketKey(resource.group, resource.kind, '')),
            )
            .flatMap(([, bucket]) => [...bucket.values()])
        : [
            ...(this.objects
              .get(bucketKey(resource.group, resource.kind, namespace))
              ?.values() ?? []),
          ];
    const matching = candidates.filter(
      o =>
        matchesLabelSelector(
          selector,
          o.metadata.labels as Record<string, unknown> | undefined,
        ) &&
        matchesFieldSelector(fields, o),
    );
    const limit = Number(query.get('limit') ?? 0);
    const end =
      limit > 0 ? Math.min(offset + limit, matching.length) : matching.length;
    const page = matching.slice(offset, end);
    const metadata: Record<string, unknown> = {
      resourceVersion: String(this.resourceVersion),
    };
    if (end < matching.length) {
      metadata.continue = Buffer.from(
        JSON.stringify({ list: listKey, offset: end }),
      ).toString('base64url');
      metadata.remainingItemCount = matching.length - end;
    }
    if (metadataOnly) {
      send(200, {
        kind: 'PartialObjectMetadataList',
        apiVersion: 'meta.k8s.io/v1',
        metadata,
        items: page.map(o => ({
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: o.metadata,
        })),
      });
      return;
    }
    send(200, {
      kind: `${resource.kind}List`,
      apiVersion: resource.group
        ? `${resource.group}/${resource.version}`
        : resource.version,
      metadata,
      // Like a real API server, list items carry no apiVersion and kind of their own.
      items: page.map(
        ({ apiVersion: _apiVersion, kind: _kind, ...item }) => item,
      ),
    });
  }
}

function bucketKey(
  group: string,
  kind: string,
  namespace: string | undefined,
): string {
  return `${group}/${kind}/${namespace ?? ''}`;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function discovery(group: string, version: string, served: FakeResource[]) {
  const resources = served.flatMap(r => {
    const main = {
      name: r.plural,
      singularName: '',
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: ['get', 'list', 'watch'],
    };
    // Subresources come first here so that clients must tell them apart: `status` has the
    // resource's own kind, a Deployment's `scale` another one.
    const subresources: object[] = [
      {
        ...main,
        name: `${r.plural}/status`,
        verbs: ['get', 'patch', 'update'],
      },
    ];
    if (r.kind === 'Deployment') {
      subresources.push({
        name: `${r.plural}/scale`,
        singularName: '',
        namespaced: true,
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      });
    }
    return [...subresources, main];
  });
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}
