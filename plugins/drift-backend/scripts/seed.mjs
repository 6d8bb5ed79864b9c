#!/usr/bin/env node
// Fills the drift plugin's database with a realistic volume of data, for benchmarks and
// browser tests: entities across owners, systems, tiers and environments; monitored
// resources; findings in every lifecycle state with SLAs; their audit events; daily rollups
// over 90 days; scans.
//
// Usage:
//   node scripts/seed.mjs --sqlite <file> [options]
//   node scripts/seed.mjs --postgres <connection string with database> [options]
// Options:
//   --findings <n>         findings to write (default 200000)
//   --events <n>           audit events to write (default 2000000)
//   --entities <n>         entities to create (default 5000)
//   --existing-entities    spread the findings over the entities already in the database
//                          instead of creating any (a running demo); rollups are not written
//   --remove               delete what an earlier run wrote, and nothing else
import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import knexFactory from 'knex';

const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), '../migrations');
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const HISTORY_DAYS = 90;

/** Seeded ids start with this (still UUIDs, as cursors require), so `--remove` finds them. */
const ID_PREFIX = '5eed';
const SEED_SCAN_PREFIX = `${ID_PREFIX}5ca0`;

const CATEGORIES = [
  'Scaling',
  'VersionChange',
  'ResourceChange',
  'ConfigurationChange',
  'LabelChange',
  'AnnotationChange',
  'PortChange',
  'VolumeChange',
  'SecretChange',
  'ConfigMapChange',
  'SecurityChange',
];
const SEVERITIES = ['low', 'medium', 'high', 'critical'];
const SLA_HOURS = { 1: 4, 2: 72, 3: 336 };
const ENVIRONMENTS = [
  { name: 'production', locations: ['prod-eu-1', 'prod-us-1'] },
  { name: 'staging', locations: ['staging-eu-1'] },
  { name: 'development', locations: ['dev-eu-1'] },
];
const KUBE_KINDS = ['Deployment', 'Deployment', 'ConfigMap', 'Service', 'Secret', 'Ingress', 'StatefulSet', 'Role'];
const CLOUD_KINDS = ['aws_s3_bucket', 'aws_iam_role', 'aws_security_group', 'aws_db_instance'];
const HUMANS = ['user:default/ana', 'user:default/bo', 'user:default/chen', 'user:default/dara', 'user:default/eli'];
const ROUTED_ACTIONS = { 1: ['pagerduty', 'github-pull-request'], 2: ['notify-owner'], 3: [] };

/** A small deterministic generator: the same options give the same data. */
function random(start) {
  let a = start >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = n => Math.floor(next() * n);
  const pick = list => list[int(list.length)];
  /** Picks by weight: `weighted([['a', 3], ['b', 1]])`. */
  const weighted = pairs => {
    let r = next() * pairs.reduce((sum, [, w]) => sum + w, 0);
    for (const [value, w] of pairs) {
      r -= w;
      if (r < 0) return value;
    }
    return pairs[pairs.length - 1][0];
  };
  return { next, int, pick, weighted };
}

const seededId = (kind, i) => {
  const hex = `${kind}${i.toString(16)}`.padStart(28, '0');
  const raw = `${ID_PREFIX}${hex}`;
  return `${raw.slice(0, 8)}-${raw.slice(8, 12)}-${raw.slice(12, 16)}-${raw.slice(16, 20)}-${raw.slice(20, 32)}`;
};

function makeEntities(count, rng) {
  const owners = Array.from({ length: Math.max(1, Math.round(count / 80)) }, (_, i) => `group:default/team-${i + 1}`);
  const systems = Array.from({ length: Math.max(1, Math.round(count / 20)) }, (_, i) => `system:default/system-${i + 1}`);
  return Array.from({ length: count }, (_, i) => ({
    entity_ref: `component:default/service-${String(i + 1).padStart(5, '0')}`,
    // A few large teams own many services; most own a handful.
    owner: owners[Math.floor(owners.length * rng.next() ** 2)],
    system: systems[rng.int(systems.length)],
    tier: rng.weighted([[1, 1], [2, 3], [3, 6]]),
    environment: rng.weighted([['production', 6], ['staging', 3], ['development', 1]]),
  }));
}

/** One finding and its events, as the scanner, the routing worker and people would leave them. */
function makeFinding(i, entity, rng, now, eventQuota) {
  const provider = rng.next() < 0.85 ? 'kubernetes' : 'terraform';
  const environment = ENVIRONMENTS.find(e => e.name === entity.environment) ?? ENVIRONMENTS[0];
  const location =
    provider === 'kubernetes' ? rng.pick(environment.locations) : `terraform/${environment.name}/plan.json`;
  const kind = provider === 'kubernetes' ? rng.pick(KUBE_KINDS) : rng.pick(CLOUD_KINDS);
  const service = entity.entity_ref.split('/')[1];
  const name = `${service}-${kind.toLowerCase()}-${i}`;
  const namespace = provider === 'kubernetes' ? service : null;
  const resourceKey = provider === 'kubernetes' ? `${kind}:${namespace}:${name}` : `${kind}.${name.replace(/-/g, '_')}`;
  const resourceStatus = rng.weighted([['drifted', 88], ['missing', 7], ['extra', 5]]);
  const categories =
    resourceStatus === 'drifted'
      ? [...new Set([rng.pick(CATEGORIES), ...(rng.next() < 0.3 ? [rng.pick(CATEGORIES)] : [])])].sort()
      : [];
  const severity = categories.includes('SecurityChange')
    ? 'critical'
    : rng.weighted([['low', 35], ['medium', 35], ['high', 20], ['critical', 10]]);
  const status = rng.weighted([['resolved', 65], ['active', 25], ['acknowledged', 7], ['suppressed', 3]]);

  const firstDetected = now - Math.floor(rng.next() * (HISTORY_DAYS - 1) * DAY_MS) - HOUR_MS;
  // Some findings were resolved once and came back: their current episode opened later.
  const reopened = rng.next() < 0.08;
  const opened = reopened ? firstDetected + Math.floor(rng.next() * (now - firstDetected) * 0.5) : firstDetected;
  const resolved = status === 'resolved' ? opened + Math.floor(rng.next() * Math.min(now - opened, 14 * DAY_MS)) : null;
  const slaDue = opened + SLA_HOURS[entity.tier] * HOUR_MS;
  const acknowledged = status === 'acknowledged' || (status === 'resolved' && rng.next() < 0.2);
  const ackAt = acknowledged ? opened + Math.floor(rng.next() * ((resolved ?? now) - opened)) : null;
  const breached = slaDue < (resolved ?? now) && !(entity.tier === 3 && ackAt !== null && ackAt <= slaDue);
  const suppressedUntil = status === 'suppressed' ? now + (1 + rng.int(60)) * DAY_MS : null;
  const id = seededId('f', i);
  const changes = categories.map(category => ({
    path: `/spec/${category.toLowerCase()}`,
    op: 'replace',
    category,
    desired: 1,
    live: 2,
  }));

  const finding = {
    id,
    entity_ref: entity.entity_ref,
    provider,
    location,
    resource_key: resourceKey,
    kind,
    namespace,
    name,
    resource_status: resourceStatus,
    status,
    severity,
    severity_rank: SEVERITIES.indexOf(severity),
    score: Math.round(rng.next() * 1000) / 10,
    categories: JSON.stringify(categories),
    changes: JSON.stringify(changes),
    drift_hash: id.replace(/-/g, ''),
    last_known_good_hash: null,
    tier: entity.tier,
    owner: entity.owner,
    system: entity.system,
    first_detected_at: new Date(firstDetected),
    opened_at: new Date(opened),
    last_seen_at: new Date(resolved ?? now - rng.int(6) * HOUR_MS),
    resolved_at: resolved === null ? null : new Date(resolved),
    sla_due_at: new Date(slaDue),
    sla_breached: breached,
    acknowledged_by: ackAt === null ? null : rng.pick(HUMANS),
    acknowledged_at: ackAt === null ? null : new Date(ackAt),
    acknowledge_note: ackAt === null ? null : 'Looking into it',
    suppressed_by: suppressedUntil === null ? null : rng.pick(HUMANS),
    suppressed_until: suppressedUntil === null ? null : new Date(suppressedUntil),
    suppress_reason: suppressedUntil === null ? null : 'Accepted until the migration lands',
    source: null,
    renotify_due_at: null,
    environment: environment.name,
  };

  // The audit trail: what happened, in order, then filled with re-detections up to the quota.
  const end = resolved ?? now;
  const at = () => new Date(opened + Math.floor(rng.next() * Math.max(1, end - opened)));
  const event = (type, when, actor = 'driftwatch', note = null, details = null) => ({
    finding_id: id,
    entity_ref: entity.entity_ref,
    type,
    actor,
    at: when,
    note,
    details: details ? JSON.stringify(details) : null,
  });
  const events = [event('detected', new Date(firstDetected))];
  if (reopened) {
    events.push(event('resolved', new Date(firstDetected + Math.floor((opened - firstDetected) / 2))));
    events.push(event('reopened', new Date(opened)));
  }
  for (const action of ROUTED_ACTIONS[entity.tier]) {
    events.push(
      event('routed', new Date(opened + 60_000), 'driftwatch', `${action}: delivered`, {
        action,
        outcome: 'opened',
        intentId: randomUUID(),
        attempt: 1,
        status: rng.next() < 0.97 ? 'delivered' : 'failed',
        dryRun: false,
        summary: `${action}: delivered`,
        tier: entity.tier,
      }),
    );
  }
  if (ackAt !== null) events.push(event('acknowledged', new Date(ackAt), finding.acknowledged_by, 'Looking into it'));
  if (suppressedUntil !== null) events.push(event('suppressed', at(), finding.suppressed_by, finding.suppress_reason));
  if (breached) events.push(event('escalated', new Date(slaDue)));
  if (resolved !== null) events.push(event('resolved', new Date(resolved)));
  while (events.length < eventQuota) events.push(event('changed', at()));
  return { finding, events };
}

/** The resource a finding is about, in the state its finding says. */
function resourceOf(finding, scanId) {
  return {
    entity_ref: finding.entity_ref,
    provider: finding.provider,
    location: finding.location,
    resource_key: finding.resource_key,
    api_version: finding.provider === 'kubernetes' ? 'apps/v1' : null,
    kind: finding.kind,
    namespace: finding.namespace,
    name: finding.name,
    status: finding.status === 'resolved' ? 'in-sync' : finding.resource_status,
    last_scan_id: scanId,
    last_scanned_at: finding.last_seen_at,
    error: null,
    environment: finding.environment,
    desired_object: null,
    live_object: null,
  };
}

function addRollup(rollups, finding, day, column) {
  const categories = JSON.parse(finding.categories);
  for (const category of categories.length ? categories : [finding.resource_status]) {
    const key = [day, finding.entity_ref, finding.tier, category, finding.provider, finding.severity].join('\u0000');
    const row = rollups.get(key) ?? {
      day,
      entity_ref: finding.entity_ref,
      owner: finding.owner ?? '',
      tier: finding.tier,
      category,
      provider: finding.provider,
      severity: finding.severity,
      detected: 0,
      resolved: 0,
    };
    row[column]++;
    rollups.set(key, row);
  }
}

async function insertAll(db, table, rows, batch) {
  for (let i = 0; i < rows.length; i += batch) await db(table).insert(rows.slice(i, i + batch));
}

/** Writes the data set; returns what it wrote. */
export async function seed(db, options) {
  const { findings: findingCount, events: eventCount, entities: entityCount, existingEntities, log = () => {} } = options;
  const rng = random(20261205);
  const now = Date.now();
  // SQLite builds a multi-row insert as a compound select, at most 500 terms.
  const batchRows = columns => (db.client.dialect === 'sqlite3' ? 400 : Math.floor(30_000 / columns));

  await db.migrate.latest({ directory: MIGRATIONS, tableName: 'drift_knex_migrations' });

  let entities;
  if (existingEntities) {
    entities = await db('drift_entities').select('entity_ref', 'owner', 'system', 'tier', 'environment');
    if (!entities.length) throw new Error('The database has no entities to spread findings over');
    entities = entities.map(e => ({ ...e, tier: Number(e.tier ?? 3) }));
  } else {
    entities = makeEntities(entityCount, rng);
    await insertAll(db, 'drift_entities', entities, batchRows(5));
  }

  const scans = [];
  for (let t = now - HISTORY_DAYS * DAY_MS, i = 0; t < now; t += 4 * HOUR_MS, i++) {
    const id = `${SEED_SCAN_PREFIX}${seededId('5', i).slice(8)}`;
    scans.push({
      id,
      trigger: 'schedule',
      status: 'succeeded',
      queued_at: new Date(t),
      started_at: new Date(t + 1000),
      finished_at: new Date(t + 120_000),
      entities_total: entities.length,
      entities_done: entities.length,
      resources_scanned: 0,
      errors: '[]',
    });
  }
  // Into a running demo, the demo's own scans stay the latest.
  if (!existingEntities) await insertAll(db, 'drift_scans', scans, batchRows(10));
  const lastScanId = scans[scans.length - 1].id;

  const rollups = new Map();
  const CHUNK = 2000;
  let written = 0;
  let eventsWritten = 0;
  for (let start = 0; start < findingCount; start += CHUNK) {
    const findings = [];
    const events = [];
    const resources = [];
    for (let i = start; i < Math.min(findingCount, start + CHUNK); i++) {
      // Entities with more resources have more drift: a few hold much of it.
      const entity = entities[Math.floor(entities.length * rng.next() ** 1.5)];
      const quota = Math.floor((eventCount * (i + 1)) / findingCount) - Math.floor((eventCount * i) / findingCount);
      const made = makeFinding(i, entity, rng, now, quota);
      findings.push(made.finding);
      events.push(...made.events);
      resources.push(resourceOf(made.finding, lastScanId));
      if (!existingEntities) {
        addRollup(rollups, made.finding, made.finding.opened_at.toISOString().slice(0, 10), 'detected');
        if (made.finding.resolved_at) {
          addRollup(rollups, made.finding, made.finding.resolved_at.toISOString().slice(0, 10), 'resolved');
        }
      }
    }
    // A transaction per chunk: fast, and a running backend's own writes get their turn.
    await db.transaction(async tx => {
      await insertAll(tx, 'drift_findings', findings, batchRows(36));
      await insertAll(tx, 'drift_resources', resources, batchRows(15));
      await insertAll(tx, 'drift_events', events, batchRows(7));
    });
    written += findings.length;
    eventsWritten += events.length;
    if (written % 20_000 === 0 || written === findingCount) log(`  ${written} findings, ${eventsWritten} events`);
  }

  // Half again as many resources in sync without ever having drifted: the rest of the surface.
  const inSync = [];
  for (let i = 0; i < Math.floor(findingCount / 2); i++) {
    const entity = entities[rng.int(entities.length)];
    const service = entity.entity_ref.split('/')[1];
    const environment = ENVIRONMENTS.find(e => e.name === entity.environment) ?? ENVIRONMENTS[0];
    const kind = rng.pick(KUBE_KINDS);
    inSync.push({
      entity_ref: entity.entity_ref,
      provider: 'kubernetes',
      location: rng.pick(environment.locations),
      resource_key: `${kind}:${service}:${service}-steady-${i}`,
      api_version: 'v1',
      kind,
      namespace: service,
      name: `${service}-steady-${i}`,
      status: rng.next() < 0.01 ? 'unknown' : 'in-sync',
      last_scan_id: lastScanId,
      last_scanned_at: new Date(now - rng.int(6) * HOUR_MS),
      error: null,
      environment: environment.name,
      desired_object: null,
      live_object: null,
    });
    if (inSync.length === 20_000) await db.transaction(tx => insertAll(tx, 'drift_resources', inSync.splice(0), batchRows(15)));
  }
  await db.transaction(tx => insertAll(tx, 'drift_resources', inSync, batchRows(15)));

  const rollupRows = [...rollups.values()];
  for (let i = 0; i < rollupRows.length; i += 20_000) {
    await db.transaction(tx => insertAll(tx, 'drift_daily_rollups', rollupRows.slice(i, i + 20_000), batchRows(9)));
  }
  if (db.client.dialect === 'postgresql') await db.raw('analyze');
  return {
    entities: entities.length,
    findings: written,
    events: eventsWritten,
    resources: written + Math.floor(findingCount / 2),
    rollups: rollupRows.length,
  };
}

/** Deletes what `seed` wrote (by its ids), and nothing else. */
export async function removeSeeded(db) {
  const like = `${ID_PREFIX}%`;
  await db('drift_events').where('finding_id', 'like', like).delete();
  await db('drift_findings').where('id', 'like', like).delete();
  await db('drift_resources').where('last_scan_id', 'like', `${SEED_SCAN_PREFIX}%`).delete();
  await db('drift_scans').where('id', 'like', `${SEED_SCAN_PREFIX}%`).delete();
}

/** A knex client for `--sqlite <file>` or `--postgres <url>`, creating the PostgreSQL database if needed. */
export async function connect({ sqlite, postgres }) {
  if (sqlite) {
    return knexFactory({ client: 'better-sqlite3', connection: { filename: sqlite }, useNullAsDefault: true });
  }
  const url = new URL(postgres);
  const database = url.pathname.slice(1);
  const admin = knexFactory({ client: 'pg', connection: { connectionString: new URL('/postgres', url).toString() } });
  try {
    const exists = await admin('pg_database').where({ datname: database }).first();
    if (!exists) await admin.raw('create database ??', [database]);
  } finally {
    await admin.destroy();
  }
  return knexFactory({ client: 'pg', connection: { connectionString: postgres }, pool: { min: 0, max: 4 } });
}

async function main() {
  const { values } = parseArgs({
    options: {
      sqlite: { type: 'string' },
      postgres: { type: 'string' },
      findings: { type: 'string', default: '200000' },
      events: { type: 'string', default: '2000000' },
      entities: { type: 'string', default: '5000' },
      'existing-entities': { type: 'boolean', default: false },
      remove: { type: 'boolean', default: false },
    },
  });
  if (!values.sqlite === !values.postgres) {
    throw new Error('Give exactly one of --sqlite <file> or --postgres <connection string>');
  }
  const db = await connect(values);
  try {
    if (values.remove) {
      await removeSeeded(db);
      console.log('seed: removed the seeded rows');
      return;
    }
    const started = Date.now();
    const counts = await seed(db, {
      findings: Number(values.findings),
      events: Number(values.events),
      entities: Number(values.entities),
      existingEntities: values['existing-entities'],
      log: line => console.log(line),
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `seed: entities=${counts.entities} findings=${counts.findings} events=${counts.events} ` +
        `resources=${counts.resources} rollups=${counts.rollups} in ${seconds} s`,
    );
  } finally {
    await db.destroy();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}
