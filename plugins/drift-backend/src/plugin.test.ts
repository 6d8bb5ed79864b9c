import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { driftPlugin } from './plugin';

describe('driftPlugin', () => {
  it('answers health with the database reachable and no scan yet', async () => {
    const { server } = await startTestBackend({ features: [driftPlugin] });

    const response = await request(server).get('/api/drift/health');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', database: 'ok', lastScan: null });
  });
});
