import { type APIRequestContext, expect } from '@playwright/test';

/** The backend the app talks to (app-config: backend.baseUrl). */
export const BACKEND_URL =
  process.env.BACKSTAGE_BACKEND_URL ?? 'http://localhost:7007';

/**
 * Waits until the backend has data to show: the demo replay is over once a scan that is not
 * part of it has finished (or, without the demo, once any scan has). Health tells the last
 * scan only to a signed-in reader, so this asks as the guest once the guest can sign in.
 */
export async function waitForDriftData(
  request: APIRequestContext,
  timeoutMs: number,
) {
  await expect
    .poll(
      async () => {
        const token = await request
          .get(`${BACKEND_URL}/api/auth/guest/refresh?env=development`, {
            headers: { 'X-Requested-With': 'XMLHttpRequest' },
          })
          .then(async r => (r.ok() ? (await r.json()).backstageIdentity.token : undefined))
          .catch(() => undefined);
        if (!token) return 'guest cannot sign in yet';
        const response = await request
          .get(`${BACKEND_URL}/api/drift/health`, {
            headers: { Authorization: `Bearer ${token}` },
          })
          .catch(() => undefined);
        if (!response?.ok()) return 'backend not ready';
        const { lastScan } = await response.json();
        if (!lastScan?.finishedAt)
          return `last scan: ${JSON.stringify(lastScan)}`;
        return lastScan.trigger === 'demo'
          ? 'demo replay in progress'
          : 'ready';
      },
      { timeout: timeoutMs, intervals: [2_000] },
    )
    .toBe('ready');
}

/** A guest's token, for asking the backend what the page should show. */
export async function guestToken(request: APIRequestContext): Promise<string> {
  const response = await request.get(
    `${BACKEND_URL}/api/auth/guest/refresh?env=development`,
    {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    },
  );
  expect(response.ok()).toBeTruthy();
  return (await response.json()).backstageIdentity.token;
}

/** GET a drift route as the guest; `query` values may repeat, like the UI sends them. */
export async function driftGet<T = any>(
  request: APIRequestContext,
  path: string,
  query: Array<[string, string]> = [],
): Promise<T> {
  const token = await guestToken(request);
  const search = new URLSearchParams(query).toString();
  const response = await request.get(
    `${BACKEND_URL}/api/drift${path}${search ? `?${search}` : ''}`,
    {
      headers: { Authorization: `Bearer ${token}` },
    },
  );
  expect(response.ok(), `${path}: ${response.status()}`).toBeTruthy();
  return response.json();
}
