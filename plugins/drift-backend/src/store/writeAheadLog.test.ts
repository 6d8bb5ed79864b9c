import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import { connectDatabase } from './migrations';

describe('connectDatabase on a SQLite file', () => {
  it('keeps a write-ahead log, so a scan commit does not copy and sync every page twice', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-wal-'));
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'drift.sqlite') },
      useNullAsDefault: true,
    });
    try {
      const db = await connectDatabase(mockServices.database({ knex }));
      const [{ journal_mode: mode }] = await db.raw('PRAGMA journal_mode');
      expect(mode).toBe('wal');
      expect(fs.existsSync(path.join(dir, 'drift.sqlite-wal'))).toBe(true);
    } finally {
      await knex.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
