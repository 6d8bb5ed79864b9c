import type {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult, type BasicPermission } from '@backstage/plugin-permission-common';
import type { ConditionTransformer } from '@backstage/plugin-permission-node';
import {
  driftFindingAcknowledgePermission,
  driftFindingReadPermission,
  driftFindingSuppressPermission,
  driftScanCreatePermission,
} from '@driftwatch/plugin-drift-common';
import type express from 'express';
import type { CatalogVisibility } from '../catalog/CatalogVisibility';
import type { DriftFindingQuery } from '../permissions/rules';
import type { DriftScanner } from '../scan/DriftScanner';
import type { DriftConfig } from '../scan/config';
import type { RoutingConfig } from '../routing/config';
import type { DriftAction } from '@driftwatch/plugin-drift-node';
import type { RoutingPolicy } from '@driftwatch/plugin-drift-common';
import type { DriftStore } from '../store/DriftStore';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { compareEnvironments } from '../environments/compareEnvironments';
import { jsonBody, parseDateTime } from './input';
import { reportToCsv, reportToMarkdown } from './report';

export interface RouterOptions {
  /** The routing policy in force, and the installed actions. */
  routing: {
    config: RoutingConfig;
    actions: () => Map<string, DriftAction>;
    tiers: DriftConfig['tiers'];
    /** Delivers what a person's decision routed (a PagerDuty acknowledge) without waiting. */
    kick?: () => void;
  };
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  store: DriftStore;
  scanner: DriftScanner;
  /** Which entities a caller can see in the catalog. */
  visibility: CatalogVisibility;
  /** Turns the read policy's conditions into database filters. */
  transformConditions: ConditionTransformer<DriftFindingQuery>;
  /** The latest a suppression may last, in days from now. */
  maxSuppressionDays: number;
  /** The longest window statistics, trends and the review report aggregate over, in days. */
  maxWindowDays: number;
  demo: boolean;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The window of a query; at most `maxDays` long when given (the default is shortened to fit). */
function range(query: { from?: string; to?: string }, defaultDays: number, maxDays?: number) {
  // An open window ends at the next whole minute: readers within a minute ask the same
  // question, and the store answers it from its cache until the data changes.
  const to = query.to ? parseDateTime(query.to, 'query', 'to') : new Date(Math.ceil(Date.now() / MINUTE_MS) * MINUTE_MS);
  const from = query.from
    ? parseDateTime(query.from, 'query', 'from')
    : new Date(to.getTime() - Math.min(defaultDays, maxDays ?? defaultDays) * DAY_MS);
  if (from.getTime() > to.getTime()) throw new InputError('Invalid query: "from" must be before "to"');
  if (maxDays !== undefined && to.getTime() - from.getTime() > maxDays * DAY_MS) {
    throw new InputError(
      `Invalid query: "from" and "to" span more than ${maxDays} days, the longest window ` +
        '(drift.statistics.maxWindowDays)',
    );
  }
  return { from, to };
}

function normalizeEntityRef(ref: string, where: 'body' | 'query' = 'body'): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref));
  } catch (error) {
    throw new InputError(`Invalid ${where}: entityRef: ${(error as Error).message}`);
  }
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { httpAuth, permissions, scanner, visibility, transformConditions } = options;
  // Validates every request against src/schema/openapi.yaml: bad parameters get a 400 that
  // names them before a handler runs.
  const router = await createOpenApiRouter({ middleware: [jsonBody] });

  const readDecision = async (credentials: BackstageCredentials) => {
    const [decision] = await permissions.authorizeConditional(
      [{ permission: driftFindingReadPermission }],
      { credentials },
    );
    return decision;
  };

  /**
   * The store as `credentials` may read it: only entities the catalog shows them, and of those
   * only what the policy's conditions on `drift.finding.read` allow, applied in the database.
   */
  const readableStore = async (credentials: BackstageCredentials): Promise<DriftStore> => {
    const decision = await readDecision(credentials);
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(`Not allowed: ${driftFindingReadPermission.name}`);
    }
    return options.store.withScope({
      visibleEntityRefs: await visibility.visibleEntityRefs(credentials),
      conditions:
        decision.result === AuthorizeResult.CONDITIONAL ? transformConditions(decision.conditions) : undefined,
    });
  };
  const authorizeRead = async (req: express.Request<any, any, any, any>) =>
    readableStore(await httpAuth.credentials(req));

  /** Human decisions and manual scans: users only, so the audit log names a person. */
  const authorizeUser = async (
    req: express.Request<any, any, any, any>,
    permission: BasicPermission,
  ): Promise<BackstageCredentials<{ type: 'user'; userEntityRef: string }>> => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorize([{ permission }], { credentials });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
    return credentials;
  };
  const actorOf = (credentials: BackstageCredentials) => {
    const principal = credentials.principal as { userEntityRef?: string; subject?: string };
    return principal.userEntityRef ?? principal.subject ?? 'unknown';
  };

  // Unauthenticated on purpose (see plugin.ts): load balancers and uptime checks call it. They
  // learn ok or not; the details are for callers who may read findings.
  router.get('/health', async (req, res) => {
    let lastScan: Awaited<ReturnType<DriftStore['latestScan']>>;
    try {
      lastScan = await options.store.latestScan();
    } catch (error) {
      options.logger.error('Drift health check: the database did not answer', error as Error);
      res.status(503).json({ status: 'unavailable' });
      return;
    }
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service', 'none'] });
    const mayRead =
      credentials.principal.type !== 'none' &&
      (await readDecision(credentials)).result !== AuthorizeResult.DENY;
    if (!mayRead) {
      res.json({ status: 'ok' });
      return;
    }
    res.json({
      status: 'ok',
      database: 'ok',
      demo: options.demo,
      lastScan: lastScan
        ? { id: lastScan.id, status: lastScan.status, finishedAt: lastScan.finishedAt, trigger: lastScan.trigger }
        : null,
    });
  });

  router.get('/findings', async (req, res) => {
    const store = await authorizeRead(req);
    const { sort = 'severity', order = 'desc', limit = 50, cursor, ...filter } = req.query;
    res.json(await store.listFindings({ filter, sort, order, limit, cursor }));
  });

  router.get('/findings/:id', async (req, res) => {
    const store = await authorizeRead(req);
    res.json(await store.getFinding(req.params.id));
  });

  /** Owners' decisions on one finding: a resource permission lets the entity's owners through. */
  const authorizeOwnerDecision = async (req: express.Request<any, any, any, any>, id: string) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorize(
      [{ permission: driftFindingAcknowledgePermission, resourceRef: id }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${driftFindingAcknowledgePermission.name}`);
    }
    const store = await readableStore(credentials);
    await store.getFinding(id);
    return { credentials, store };
  };

  router.post('/findings/:id/acknowledge', async (req, res) => {
    const { credentials, store } = await authorizeOwnerDecision(req, req.params.id);
    const finding = await store.acknowledge(req.params.id, actorOf(credentials), req.body?.note);
    options.routing.kick?.();
    res.json(finding);
  });

  router.post('/findings/:id/incidents', async (req, res) => {
    const { credentials, store } = await authorizeOwnerDecision(req, req.params.id);
    const { url, title } = req.body;
    res.status(201).json(await store.linkIncident(req.params.id, { url, title }, actorOf(credentials)));
  });

  router.post('/findings/:id/suppress', async (req, res) => {
    const credentials = await authorizeUser(req, driftFindingSuppressPermission);
    const { until, reason } = req.body;
    if (!reason.trim()) throw new InputError('Invalid body: reason must not be blank');
    const store = await readableStore(credentials);
    await store.getFinding(req.params.id);
    const suppression = { until: parseDateTime(until, 'body', 'until'), reason, maxSuppressionDays: options.maxSuppressionDays };
    res.json(await store.suppress(req.params.id, actorOf(credentials), suppression));
  });

  router.post('/findings/:id/reopen', async (req, res) => {
    const credentials = await authorizeUser(req, driftFindingSuppressPermission);
    const body = req.body ?? {};
    const store = await readableStore(credentials);
    await store.getFinding(req.params.id);
    res.json(await store.reopen(req.params.id, actorOf(credentials), body.note));
  });

  router.get('/entities/:kind/:namespace/:name/environments', async (req, res) => {
    const store = await authorizeRead(req);
    const entityRef = `${req.params.kind}:${req.params.namespace}/${req.params.name}`.toLocaleLowerCase('en-US');
    res.json(compareEnvironments(entityRef, await store.comparedObjects(entityRef)));
  });

  router.get('/entities/:kind/:namespace/:name/summary', async (req, res) => {
    const store = await authorizeRead(req);
    const entityRef = `${req.params.kind}:${req.params.namespace}/${req.params.name}`.toLocaleLowerCase('en-US');
    const [resources, open, externalStatus] = await Promise.all([
      store.listResources({ entityRef }),
      store.listFindings({
        filter: { entityRef: [entityRef], status: ['active', 'acknowledged', 'suppressed'] },
        sort: 'severity',
        order: 'desc',
        limit: 500,
      }),
      store.externalStatus(entityRef),
    ]);
    const byStatus = resources.reduce<Record<string, number>>((acc, r) => {
      acc[r.status] = (acc[r.status] ?? 0) + 1;
      return acc;
    }, {});
    res.json({
      entityRef,
      resources: { total: resources.length, byStatus },
      openFindings: open.totalCount,
      worstSeverity: open.items[0]?.severity ?? null,
      lastScannedAt: resources.map(r => r.lastScannedAt).sort().at(-1) ?? null,
      externalStatus,
    });
  });

  router.get('/resources', async (req, res) => {
    const store = await authorizeRead(req);
    const { limit = 100, cursor, ...filter } = req.query;
    res.json(await store.listResourcePage({ ...filter, limit, cursor }));
  });

  router.get('/surface', async (req, res) => {
    const store = await authorizeRead(req);
    res.json(await store.surface(req.query));
  });

  router.get('/statistics', async (req, res) => {
    const store = await authorizeRead(req);
    const { from: f, to: t, groupBy = 'day', ...filter } = req.query;
    const { from, to } = range({ from: f, to: t }, 14, options.maxWindowDays);
    res.json(await store.statistics({ from, to, groupBy, filter }));
  });

  router.get('/events', async (req, res) => {
    const store = await authorizeRead(req);
    const { from: f, to: t, type, limit = 1000, ...filter } = req.query;
    const { from, to } = range({ from: f, to: t }, 90);
    res.json({ items: await store.events({ from, to, types: type, limit, ...filter }) });
  });

  router.get('/trends', async (req, res) => {
    const store = await authorizeRead(req);
    const { from: f, to: t, ...filter } = req.query;
    const { from, to } = range({ from: f, to: t }, 90, options.maxWindowDays);
    res.json({
      from: from.toISOString(),
      to: to.toISOString(),
      items: await store.trends({ from, to, ...filter }),
    });
  });

  router.get('/report', async (req, res) => {
    const store = await authorizeRead(req);
    const query = req.query;
    const { from, to } = range(query, 14, options.maxWindowDays);
    const report = await store.reviewReport(from, to);
    const name = `drift-review-${from.toISOString().slice(0, 10)}-${to.toISOString().slice(0, 10)}`;
    // The typed router only knows the JSON shape; CSV and Markdown are plain text bodies.
    const text = res as unknown as express.Response;
    if (query.format === 'csv') {
      text.type('text/csv').attachment(`${name}.csv`).send(reportToCsv(report));
    } else if (query.format === 'markdown') {
      text.type('text/markdown').attachment(`${name}.md`).send(reportToMarkdown(report));
    } else {
      res.json(report);
    }
  });

  router.get('/routing/policy', async (req, res) => {
    await authorizeRead(req);
    const { config, actions, tiers } = options.routing;
    const installed = actions();
    const policy: RoutingPolicy = {
      maxAttempts: config.maxAttempts,
      tiers: Object.entries(config.tiers).map(([tier, routing]) => ({
        tier: Number(tier),
        actions: routing.actions.map(id => ({
          id,
          registered: installed.has(id),
          dryRun: installed.get(id)?.isDryRun() ?? false,
        })),
        slaHours: tiers[Number(tier)].slaHours,
        minSeverity: routing.minSeverity,
        renotifyHours: routing.renotifyMs === undefined ? null : routing.renotifyMs / 3_600_000,
        escalateTo: routing.escalateTo ?? null,
      })),
    };
    res.json(policy);
  });

  router.get('/routing/summary', async (req, res) => {
    const store = await authorizeRead(req);
    const { from, to } = range(req.query, 14, options.maxWindowDays);
    res.json(await store.routingSummary(from, to));
  });

  // CI calls it with a static token (a service principal), so it reads like every read route.
  router.get('/gate', async (req, res) => {
    const store = await authorizeRead(req);
    const entityRef = normalizeEntityRef(req.query.entityRef, 'query');
    if (!(await store.knowsEntity(entityRef))) {
      throw new NotFoundError(`No entity '${entityRef}' is known to Driftwatch`);
    }
    res.json(await store.gate(entityRef));
  });

  router.post('/scans', async (req, res) => {
    const credentials = await authorizeUser(req, driftScanCreatePermission);
    const body = req.body ?? {};
    const entityRef = body.entityRef === undefined ? undefined : normalizeEntityRef(body.entityRef);
    if (entityRef && !(await visibility.visibleEntityRefs(credentials)).includes(entityRef)) {
      throw new NotFoundError(`No entity '${entityRef}' with drift sources in the catalog`);
    }
    const id = await scanner.trigger({ trigger: 'manual', entityRef, requestedBy: actorOf(credentials) });
    res.status(202).json({ id });
  });

  router.get('/scans/:id', async (req, res) => {
    const store = await authorizeRead(req);
    res.json(await store.getScan(req.params.id));
  });

  return router;
}
