import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

const ROOT = resolve(__dirname, '../../..');

/**
 * The drift plugin's SQLite file of the running backend: `DRIFT_E2E_SQLITE_FILE`, else the
 * test database of scripts/test.sh or the one of scripts/start.sh, whichever changed last.
 */
export function findDriftDatabase(): string | undefined {
  const candidates = process.env.DRIFT_E2E_SQLITE_FILE
    ? [process.env.DRIFT_E2E_SQLITE_FILE]
    : [
        `${ROOT}/.scratch/test/sqlite/drift.sqlite`,
        `${ROOT}/.scratch/sqlite/drift.sqlite`,
      ];
  return candidates
    .filter(file => existsSync(file))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

const SEVERITIES = ['low', 'medium', 'high', 'critical'];
const ID_PREFIX = 'e2e-volume-';

/**
 * Adds `count` active findings to the store for a volume measurement and returns how to take
 * them out again. Each row is a copy of a real finding of the demo, so every column the
 * backend reads has a value it wrote itself; only identity, severity and SLA differ. The SLA
 * lies in the future so the scheduler does not escalate (and log events for) these rows.
 *
 * Stand-in until the backend ships a seeding script of its own; it writes to the database of a
 * running backend, which SQLite allows between processes.
 */
export function seedFindings(
  file: string,
  count: number,
): { remove: () => void } {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA busy_timeout = 10000');
  const template = db
    .prepare("SELECT * FROM drift_findings WHERE status <> 'resolved' LIMIT 1")
    .get() as Record<string, unknown> | undefined;
  if (!template) throw new Error(`${file} has no finding to copy`);

  // Spread over the demo's own entities: the backend shows findings of catalog entities only.
  const entityRefs = (
    db.prepare('SELECT DISTINCT entity_ref FROM drift_findings').all() as Array<{
      entity_ref: string;
    }>
  ).map(r => r.entity_ref);

  const columns = Object.keys(template);
  const insert = db.prepare(
    `INSERT INTO drift_findings (${columns
      .map(c => `"${c}"`)
      .join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  const now = Date.now();
  const day = 86_400_000;
  // Timestamps in the form the backend stored them (epoch milliseconds with better-sqlite3).
  const at = (ms: number) =>
    typeof template.first_detected_at === 'string'
      ? new Date(ms).toISOString()
      : ms;
  db.exec('BEGIN');
  try {
    for (let i = 0; i < count; i++) {
      const severity = SEVERITIES[i % SEVERITIES.length];
      const row: Record<string, unknown> = {
        ...template,
        id: `${ID_PREFIX}${String(i).padStart(5, '0')}`,
        entity_ref: entityRefs[i % entityRefs.length],
        resource_key: `Deployment:volume:workload-${i}`,
        namespace: 'volume',
        name: `workload-${i}`,
        status: 'active',
        severity,
        severity_rank: SEVERITIES.indexOf(severity),
        first_detected_at: at(now - (i % 30) * day),
        opened_at: at(now - (i % 30) * day),
        last_seen_at: at(now),
        resolved_at: null,
        sla_due_at: at(now + 30 * day),
        sla_breached: 0,
      };
      insert.run(...(columns.map(c => row[c]) as any[]));
    }
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    db.close();
    throw error;
  }

  return {
    remove: () => {
      db.prepare('DELETE FROM drift_events WHERE finding_id LIKE ?').run(
        `${ID_PREFIX}%`,
      );
      db.prepare('DELETE FROM drift_findings WHERE id LIKE ?').run(
        `${ID_PREFIX}%`,
      );
      db.close();
    },
  };
}
