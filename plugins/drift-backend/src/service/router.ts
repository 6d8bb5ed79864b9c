import type {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult, type BasicPermission } from '@backstage/plugin-permission-common';
import {
  driftFindingAcknowledgePermission,
  driftFindingReadPermission,
  driftFindingSuppressPermission,
  driftScanCreatePermission,
} from '@driftwatch/plugin-drift-common';
import type express from 'express';
import type { DriftScanner } from '../scan/DriftScanner';
import type { DriftStore } from '../store/DriftStore';
import type { FindingFilter } from '../store/types';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { jsonBody, parseDateTime } from './input';
import { buildReviewReport, reportToCsv, reportToMarkdown } from './report';
import { computeStatistics } from './statistics';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  store: DriftStore;
  scanner: DriftScanner;
  /** The latest a suppression may last, in days from now. */
  maxSuppressionDays: number;
  demo: boolean;
}

const DAY_MS = 86_400_000;

function range(query: { from?: string; to?: string }, defaultDays: number) {
  const to = query.to ? parseDateTime(query.to, 'query', 'to') : new Date();
  const from = query.from
    ? parseDateTime(query.from, 'query', 'from')
    : new Date(to.getTime() - defaultDays * DAY_MS);
  if (from.getTime() > to.getTime()) throw new InputError('Invalid query: "from" must be before "to"');
  return { from, to };
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { httpAuth, permissions, store, scanner } = options;
  // Validates every request against src/schema/openapi.yaml: bad parameters get a 400 that
  // names them before a handler runs.
  const router = await createOpenApiRouter({ middleware: [jsonBody] });

  const authorize = async (
    req: express.Request<any, any, any, any>,
    permission: BasicPermission,
  ): Promise<BackstageCredentials> => {
    const credentials = await httpAuth.credentials(req);
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

  // Unauthenticated on purpose (see plugin.ts): load balancers and uptime checks call it.
  router.get('/health', async (_req, res) => {
    const lastScan = await store.latestScan();
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
    await authorize(req, driftFindingReadPermission);
    const { sort = 'severity', order = 'desc', limit = 50, cursor, ...filter } = req.query;
    res.json(await store.listFindings({ filter: filter as FindingFilter, sort, order, limit, cursor }) as any);
  });

  router.get('/findings/:id', async (req, res) => {
    await authorize(req, driftFindingReadPermission);
    res.json((await store.getFinding(req.params.id)) as any);
  });

  router.post('/findings/:id/acknowledge', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body = req.body ?? {};
    // Resource permission: a conditional policy lets the entity's owners through.
    const [decision] = await permissions.authorize(
      [{ permission: driftFindingAcknowledgePermission, resourceRef: req.params.id }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${driftFindingAcknowledgePermission.name}`);
    }
    await store.getFinding(req.params.id);
    res.json((await store.acknowledge(req.params.id, actorOf(credentials), body.note)) as any);
  });

  router.post('/findings/:id/suppress', async (req, res) => {
    const credentials = await authorize(req, driftFindingSuppressPermission);
    const { until, reason } = req.body;
    if (!reason.trim()) throw new InputError('Invalid body: reason must not be blank');
    res.json(
      (await store.suppress(req.params.id, actorOf(credentials), {
        until: parseDateTime(until, 'body', 'until'),
        reason,
        maxSuppressionDays: options.maxSuppressionDays,
      })) as any,
    );
  });

  router.post('/findings/:id/reopen', async (req, res) => {
    const credentials = await authorize(req, driftFindingSuppressPermission);
    const body = req.body ?? {};
    res.json((await store.reopen(req.params.id, actorOf(credentials), body.note)) as any);
  });

  router.get('/entities/:kind/:namespace/:name/summary', async (req, res) => {
    await authorize(req, driftFindingReadPermission);
    const entityRef = `${req.params.kind}:${req.params.namespace}/${req.params.name}`.toLocaleLowerCase('en-US');
    const [resources, open] = await Promise.all([
      store.listResources({ entityRef }),
      store.listFindings({
        filter: { entityRef: [entityRef], status: ['active', 'acknowledged', 'suppressed'] },
        sort: 'severity',
        order: 'desc',
        limit: 500,
      }),
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
    });
  });

  router.get('/resources', async (req, res) => {
    await authorize(req, driftFindingReadPermission);
    res.json({ items: (await store.listResources(req.query)) as any });
  });

  router.get('/statistics', async (req, res) => {
    await authorize(req, driftFindingReadPermission);
    const { from: f, to: t, groupBy = 'day', ...filter } = req.query;
    const { from, to } = range({ from: f, to: t }, 14);
    res.json(
      (await computeStatistics(store, { from, to, groupBy, filter: filter as FindingFilter })) as any,
    );
  });

  router.get('/events', async (req, res) => {
    await authorize(req, driftFindingReadPermission);
    const { from: f, to: t, type, limit = 1000, ...filter } = req.query;
    const { from, to } = range({ from: f, to: t }, 90);
    res.json({ items: (await store.events({ from, to, types: type, limit, ...filter })) as any });
  });

  router.get('/trends', async (req, res) => {
    await authorize(req, driftFindingReadPermission);
    const { from: f, to: t, ...filter } = req.query;
    const { from, to } = range({ from: f, to: t }, 90);
    res.json({
      from: from.toISOString(),
      to: to.toISOString(),
      items: (await store.trends({ from, to, ...filter })) as any,
    });
  });

  router.get('/report', async (req, res) => {
    await authorize(req, driftFindingReadPermission);
    const query = req.query;
    const { from, to } = range(query, 14);
    const report = await buildReviewReport(store, from, to);
    const name = `drift-review-${from.toISOString().slice(0, 10)}-${to.toISOString().slice(0, 10)}`;
    // The typed router only knows the JSON shape; CSV and Markdown are plain text bodies.
    const text = res as unknown as express.Response;
    if (query.format === 'csv') {
      text.type('text/csv').attachment(`${name}.csv`).send(reportToCsv(report));
    } else if (query.format === 'markdown') {
      text.type('text/markdown').attachment(`${name}.md`).send(reportToMarkdown(report));
    } else {
      res.json(report as any);
    }
  });

  router.post('/scans', async (req, res) => {
    const credentials = await authorize(req, driftScanCreatePermission);
    const body = req.body ?? {};
    const id = await scanner.trigger({ trigger: 'manual', entityRef: body.entityRef, requestedBy: actorOf(credentials) });
    res.status(202).json({ id });
  });

  router.get('/scans/:id', async (req, res) => {
    await authorize(req, driftFindingReadPermission);
    res.json((await store.getScan(req.params.id)) as any);
  });

  return router;
}
