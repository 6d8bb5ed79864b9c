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
  SEVERITIES,
} from '@driftwatch/plugin-drift-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import type { DriftScanner } from '../scan/DriftScanner';
import type { DriftStore } from '../store/DriftStore';
import { FINDING_STATUSES, type FindingFilter } from '../store/types';
import { buildReviewReport, reportToCsv, reportToMarkdown } from './report';
import { computeStatistics } from './statistics';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  store: DriftStore;
  scanner: DriftScanner;
  demo: boolean;
}

const DAY_MS = 86_400_000;
const CATEGORIES = [
  'Scaling', 'VersionChange', 'ResourceChange', 'ConfigurationChange', 'LabelChange', 'AnnotationChange',
  'PortChange', 'VolumeChange', 'SecretChange', 'ConfigMapChange', 'SecurityChange', 'missing', 'extra',
] as const;

/** Accepts `?x=a&x=b` and `?x=a,b`. */
const list = <T extends z.ZodTypeAny>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform(v => (Array.isArray(v) ? v : [v]).flatMap(s => s.split(',')).map(s => s.trim()).filter(Boolean))
    .pipe(z.array(item))
    .optional();

const isoDate = z
  .string()
  .refine(s => !Number.isNaN(Date.parse(s)), { message: 'must be an ISO 8601 date' })
  .transform(s => new Date(s));

const filterSchema = z.object({
  entityRef: list(z.string()),
  status: list(z.enum(FINDING_STATUSES as [string, ...string[]])),
  severity: list(z.enum(SEVERITIES)),
  tier: list(z.coerce.number().int().min(1).max(3)),
  owner: list(z.string()),
  category: list(z.enum(CATEGORIES)),
  provider: list(z.string()),
  breached: z.enum(['true', 'false']).transform(v => v === 'true').optional(),
});

const findingsQuery = filterSchema
  .extend({
    sort: z.enum(['severity', 'firstDetected', 'lastSeen', 'slaDue', 'score']).default('severity'),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(2000).optional(),
  })
  .strict();

const rangeQuery = z.object({ from: isoDate.optional(), to: isoDate.optional() });

const statisticsQuery = filterSchema
  .merge(rangeQuery)
  .extend({ groupBy: z.enum(['day', 'owner', 'tier', 'category', 'provider', 'severity']).default('day') })
  .strict();

const reportQuery = rangeQuery.extend({ format: z.enum(['json', 'csv', 'markdown']).default('json') }).strict();

const noteBody = z.object({ note: z.string().max(4000).optional() }).strict();
const suppressBody = z
  .object({ until: isoDate, reason: z.string().trim().min(1, 'a reason is required').max(4000) })
  .strict();
const scanBody = z.object({ entityRef: z.string().min(1).optional() }).strict();
const resourcesQuery = z
  .object({ entityRef: z.string().optional(), status: list(z.enum(['in-sync', 'drifted', 'missing', 'extra', 'unknown'])) })
  .strict();

function parse<T extends z.ZodTypeAny>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const details = result.error.issues
      .map(i => `${i.path.length ? i.path.join('.') : where}: ${i.message}`)
      .join('; ');
    throw new InputError(`Invalid ${where}: ${details}`);
  }
  return result.data;
}

function range(query: { from?: Date; to?: Date }, defaultDays: number) {
  const to = query.to ?? new Date();
  const from = query.from ?? new Date(to.getTime() - defaultDays * DAY_MS);
  if (from.getTime() > to.getTime()) throw new InputError('Invalid query: "from" must be before "to"');
  return { from, to };
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { httpAuth, permissions, store, scanner } = options;
  const router = Router();
  router.use(express.json({ limit: '100kb' }));

  const authorize = async (
    req: express.Request,
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
    const query = parse(findingsQuery, req.query, 'query');
    const { sort, order, limit, cursor, ...filter } = query;
    res.json(await store.listFindings({ filter: filter as FindingFilter, sort, order, limit, cursor }));
  });

  router.get('/findings/:id', async (req, res) => {
    await authorize(req, driftFindingReadPermission);
    res.json(await store.getFinding(req.params.id));
  });

  router.post('/findings/:id/acknowledge', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body = parse(noteBody, req.body ?? {}, 'body');
    // Resource permission: a conditional policy lets the entity's owners through.
    const [decision] = await permissions.authorize(
      [{ permission: driftFindingAcknowledgePermission, resourceRef: req.params.id }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${driftFindingAcknowledgePermission.name}`);
    }
    await store.getFinding(req.params.id);
    res.json(await store.acknowledge(req.params.id, actorOf(credentials), body.note));
  });

  router.post('/findings/:id/suppress', async (req, res) => {
    const credentials = await authorize(req, driftFindingSuppressPermission);
    const body = parse(suppressBody, req.body ?? {}, 'body');
    res.json(await store.suppress(req.params.id, actorOf(credentials), body));
  });

  router.post('/findings/:id/reopen', async (req, res) => {
    const credentials = await authorize(req, driftFindingSuppressPermission);
    const body = parse(noteBody, req.body ?? {}, 'body');
    res.json(await store.reopen(req.params.id, actorOf(credentials), body.note));
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
    const query = parse(resourcesQuery, req.query, 'query');
    res.json({ items: await store.listResources(query) });
  });

  router.get('/statistics', async (req, res) => {
    await authorize(req, driftFindingReadPermission);
    const { from: f, to: t, groupBy, ...filter } = parse(statisticsQuery, req.query, 'query');
    const { from, to } = range({ from: f, to: t }, 14);
    res.json(await computeStatistics(store, { from, to, groupBy, filter: filter as FindingFilter }));
  });

  router.get('/report', async (req, res) => {
    await authorize(req, driftFindingReadPermission);
    const query = parse(reportQuery, req.query, 'query');
    const { from, to } = range(query, 14);
    const report = await buildReviewReport(store, from, to);
    const name = `drift-review-${from.toISOString().slice(0, 10)}-${to.toISOString().slice(0, 10)}`;
    if (query.format === 'csv') {
      res.type('text/csv').attachment(`${name}.csv`).send(reportToCsv(report));
    } else if (query.format === 'markdown') {
      res.type('text/markdown').attachment(`${name}.md`).send(reportToMarkdown(report));
    } else {
      res.json(report);
    }
  });

  router.post('/scans', async (req, res) => {
    const credentials = await authorize(req, driftScanCreatePermission);
    const body = parse(scanBody, req.body ?? {}, 'body');
    const id = await scanner.trigger({ trigger: 'manual', entityRef: body.entityRef, requestedBy: actorOf(credentials) });
    res.status(202).json({ id });
  });

  router.get('/scans/:id', async (req, res) => {
    await authorize(req, driftFindingReadPermission);
    res.json(await store.getScan(req.params.id));
  });

  return router;
}
