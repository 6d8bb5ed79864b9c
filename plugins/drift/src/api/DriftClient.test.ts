import { ResponseError } from '@backstage/errors';
import { DriftClient, toQueryString } from './DriftClient';

const discoveryApi = { getBaseUrl: async () => 'http://backstage/api/drift' };

function jsonResponse(body: unknown, init: ResponseInit = {}) {
  return new Response(JSON.stringify(body), {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
}

function clientReturning(response: () => Response) {
  const fetch = jest.fn(
    async (_input: RequestInfo | URL, _init?: RequestInit) => response(),
  );
  return {
    fetch,
    client: new DriftClient({ discoveryApi, fetchApi: { fetch } }),
  };
}

describe('toQueryString', () => {
  it('repeats array parameters and encodes reserved characters', () => {
    expect(
      toQueryString({
        entityRef: ['component:default/booking-api'],
        status: ['active', 'acknowledged'],
        tier: [1],
        breached: true,
        cursor: undefined,
        owner: [],
      }),
    ).toBe(
      '?entityRef=component%3Adefault%2Fbooking-api&status=active&status=acknowledged&tier=1&breached=true',
    );
  });

  it('is empty without parameters', () => {
    expect(toQueryString({ from: undefined })).toBe('');
  });
});

describe('DriftClient', () => {
  it('reads health through fetchApi at the discovered base URL', async () => {
    const { client, fetch } = clientReturning(() =>
      jsonResponse({
        status: 'ok',
        database: 'ok',
        demo: true,
        lastScan: null,
      }),
    );
    await expect(client.getHealth()).resolves.toEqual({
      status: 'ok',
      database: 'ok',
      demo: true,
      lastScan: null,
    });
    expect(fetch).toHaveBeenCalledWith('http://backstage/api/drift/health');
  });

  it('lists findings with filters, sort and cursor', async () => {
    const { client, fetch } = clientReturning(() =>
      jsonResponse({ items: [], totalCount: 0 }),
    );
    await client.listFindings({
      owner: ['group:default/team-booking'],
      status: ['active'],
      sort: 'slaDue',
      order: 'asc',
      limit: 25,
      cursor: 'abc',
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage/api/drift/findings?owner=group%3Adefault%2Fteam-booking&status=active&sort=slaDue&order=asc&limit=25&cursor=abc',
    );
  });

  it('posts decisions as JSON', async () => {
    const { client, fetch } = clientReturning(() =>
      jsonResponse({ id: 'f/1' }),
    );
    await client.acknowledgeFinding('f/1', { note: ' rolling forward ' });
    await client.suppressFinding('f/1', {
      until: '2026-12-01T00:00:00.000Z',
      reason: 'migration',
    });
    await client.reopenFinding('f/1', { note: '  ' });

    expect(
      fetch.mock.calls.map(([url, init]) => [url, init?.method, init?.body]),
    ).toEqual([
      [
        'http://backstage/api/drift/findings/f%2F1/acknowledge',
        'POST',
        '{"note":"rolling forward"}',
      ],
      [
        'http://backstage/api/drift/findings/f%2F1/suppress',
        'POST',
        '{"until":"2026-12-01T00:00:00.000Z","reason":"migration"}',
      ],
      ['http://backstage/api/drift/findings/f%2F1/reopen', 'POST', '{}'],
    ]);
  });

  it('reads an entity summary by its ref parts', async () => {
    const { client, fetch } = clientReturning(() =>
      jsonResponse({ openFindings: 0 }),
    );
    await client.getEntitySummary('component:default/booking-api');
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage/api/drift/entities/component/default/booking-api/summary',
    );
  });

  it('reads every page of resources, and unwraps audit events', async () => {
    const pages = [
      { items: [{ id: 1 }], totalCount: 2, nextCursor: 'page-2' },
      { items: [{ id: 2 }], totalCount: 2 },
      { items: [{ id: 3 }] },
    ];
    const { client, fetch } = clientReturning(() =>
      jsonResponse(pages.shift()),
    );
    await expect(
      client.listResources({ entityRef: 'component:default/booking-api' }),
    ).resolves.toEqual([{ id: 1 }, { id: 2 }]);
    await expect(
      client.listEvents({
        type: ['acknowledged', 'suppressed'],
        actor: 'human',
      }),
    ).resolves.toEqual([{ id: 3 }]);
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      'http://backstage/api/drift/resources?entityRef=component%3Adefault%2Fbooking-api&limit=500',
      'http://backstage/api/drift/resources?entityRef=component%3Adefault%2Fbooking-api&limit=500&cursor=page-2',
      'http://backstage/api/drift/events?type=acknowledged&type=suppressed&actor=human',
    ]);
  });

  it('exports the review as text with the attachment name', async () => {
    const { client, fetch } = clientReturning(
      () =>
        new Response('section,id\nnew,f1\n', {
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition':
              'attachment; filename="drift-review-2026-11-10-2026-11-24.csv"',
          },
        }),
    );
    await expect(
      client.exportReviewReport({
        from: '2026-11-10T00:00:00.000Z',
        to: '2026-11-24T00:00:00.000Z',
        format: 'csv',
      }),
    ).resolves.toEqual({
      filename: 'drift-review-2026-11-10-2026-11-24.csv',
      contentType: 'text/csv; charset=utf-8',
      content: 'section,id\nnew,f1\n',
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage/api/drift/report?from=2026-11-10T00%3A00%3A00.000Z&to=2026-11-24T00%3A00%3A00.000Z&format=csv',
    );
  });

  it('names the export after the window when the header is not exposed', async () => {
    const { client } = clientReturning(() => new Response('# Drift review'));
    const file = await client.exportReviewReport({
      from: '2026-11-10T00:00:00.000Z',
      to: '2026-11-24T00:00:00.000Z',
      format: 'markdown',
    });
    expect(file.filename).toBe('drift-review-2026-11-10-2026-11-24.md');
  });

  it('starts a scan and reads its progress', async () => {
    const { client, fetch } = clientReturning(() =>
      jsonResponse({ id: 's1' }, { status: 202 }),
    );
    await expect(
      client.createScan({ entityRef: 'component:default/a' }),
    ).resolves.toEqual({
      id: 's1',
    });
    await client.getScan('s1');
    expect(fetch.mock.calls[0][1]?.body).toBe(
      '{"entityRef":"component:default/a"}',
    );
    expect(fetch.mock.calls[1][0]).toBe('http://backstage/api/drift/scans/s1');
  });

  it('reads the routing policy, the routing summary of a window and the gate', async () => {
    const { client, fetch } = clientReturning(() =>
      jsonResponse({ result: 'pass' }),
    );
    await client.getRoutingPolicy();
    await client.getRoutingSummary({
      from: '2026-11-10T00:00:00.000Z',
      to: '2026-11-24T00:00:00.000Z',
    });
    await client.getRoutingSummary();
    await expect(
      client.getGate('component:default/booking-api'),
    ).resolves.toEqual({ result: 'pass' });
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      'http://backstage/api/drift/routing/policy',
      'http://backstage/api/drift/routing/summary?from=2026-11-10T00%3A00%3A00.000Z&to=2026-11-24T00%3A00%3A00.000Z',
      'http://backstage/api/drift/routing/summary',
      'http://backstage/api/drift/gate?entityRef=component%3Adefault%2Fbooking-api',
    ]);
  });

  it('reads a finding with its events and incidents', async () => {
    const details = {
      finding: { id: 'f/1' },
      events: [{ id: 1, type: 'routed' }],
      incidents: [{ findingId: 'f/1', url: 'https://pd.example/incidents/1' }],
    };
    const { client, fetch } = clientReturning(() => jsonResponse(details));
    await expect(client.getFinding('f/1')).resolves.toEqual(details);
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage/api/drift/findings/f%2F1',
    );
  });

  it('links an incident, leaving out a blank title', async () => {
    const { client, fetch } = clientReturning(() =>
      jsonResponse({ findingId: 'f/1' }, { status: 201 }),
    );
    await client.linkIncident('f/1', {
      url: ' https://pd.example/incidents/1 ',
      title: ' Checkout down ',
    });
    await client.linkIncident('f/1', {
      url: 'https://pd.example/incidents/2',
      title: '  ',
    });
    expect(
      fetch.mock.calls.map(([url, init]) => [
        url,
        init?.method,
        (init?.headers as Record<string, string>)['Content-Type'],
        init?.body,
      ]),
    ).toEqual([
      [
        'http://backstage/api/drift/findings/f%2F1/incidents',
        'POST',
        'application/json',
        '{"url":"https://pd.example/incidents/1","title":"Checkout down"}',
      ],
      [
        'http://backstage/api/drift/findings/f%2F1/incidents',
        'POST',
        'application/json',
        '{"url":"https://pd.example/incidents/2"}',
      ],
    ]);
  });

  it('throws a ResponseError carrying the backend error', async () => {
    const { client } = clientReturning(() =>
      jsonResponse(
        {
          error: { name: 'NotAllowedError', message: 'no' },
          response: { statusCode: 403 },
        },
        { status: 403, statusText: 'Forbidden' },
      ),
    );
    const error = await client.getHealth().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(403);
  });
});
