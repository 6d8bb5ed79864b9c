import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const SEED_SCRIPT = `${ROOT}/plugins/drift-backend/scripts/seed.mjs`;

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

/**
 * Adds `count` findings, their resources and an event each to the running backend's store
 * with the backend's own seeding script (plugins/drift-backend/scripts/seed.mjs), spread over
 * the demo's entities (the backend shows findings of catalog entities only), and returns how
 * to take them out again. SQLite lets the two processes share the file.
 */
export function seedFindings(
  file: string,
  count: number,
): { remove: () => void } {
  const seed = (...args: string[]) =>
    execFileSync(process.execPath, [SEED_SCRIPT, '--sqlite', file, ...args], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  seed(
    '--existing-entities',
    '--findings',
    String(count),
    '--events',
    String(count),
  );
  return { remove: () => seed('--remove') };
}
