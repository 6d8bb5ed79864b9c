import { ResponseError } from '@backstage/errors';
import { DriftClient } from './DriftClient';

const discoveryApi = { getBaseUrl: async () => 'http://backstage/api/drift' };

describe('DriftClient', () => {
  it('reads health through fetchApi at the discovered base URL', async () => {
    const fetch = jest.fn(
      async (_input: RequestInfo | URL, _init?: RequestInit) =>
        new Response(JSON.stringify({ status: 'ok', database: 'ok', lastScan: null }), {
          headers: { 'content-type': 'application/json' },
        }),
    );
    const client = new DriftClient({ discoveryApi, fetchApi: { fetch } });

    await expect(client.getHealth()).resolves.toEqual({
      status: 'ok',
      database: 'ok',
      lastScan: null,
    });
    expect(fetch).toHaveBeenCalledWith('http://backstage/api/drift/health');
  });

  it('throws a ResponseError carrying the backend error', async () => {
    const fetch = async () =>
      new Response(
        JSON.stringify({ error: { name: 'NotAllowedError', message: 'no' }, response: { statusCode: 403 } }),
        { status: 403, statusText: 'Forbidden', headers: { 'content-type': 'application/json' } },
      );
    const client = new DriftClient({ discoveryApi, fetchApi: { fetch } });

    const error = await client.getHealth().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(403);
  });
});
