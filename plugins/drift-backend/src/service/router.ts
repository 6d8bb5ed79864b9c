import type { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import type { Knex } from 'knex';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  db: Knex;
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { db } = options;
  const router = Router();
  router.use(express.json());

  // Unauthenticated on purpose (see plugin.ts): load balancers and uptime checks call it.
  router.get('/health', async (_req, res) => {
    const lastScan = await db('drift_scans')
      .orderBy('queued_at', 'desc')
      .first('id', 'status', 'finished_at');
    res.json({
      status: 'ok',
      database: 'ok',
      lastScan: lastScan
        ? { id: lastScan.id, status: lastScan.status, finishedAt: lastScan.finished_at }
        : null,
    });
  });

  return router;
}
