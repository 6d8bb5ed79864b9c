import { expect, type Page } from '@playwright/test';
import { BACKEND_URL } from './driftApi';

/**
 * Signs in with the guest provider from the sign-in page. The guest is a catalog user, so the
 * backend can sign it in only once the catalog has read the demo organisation: wait for that
 * first, or a test that runs right after start-up meets a sign-in error instead of the app.
 */
export async function signInAsGuest(page: Page, path = '/') {
  await expect
    .poll(
      async () =>
        (
          await page.request.get(`${BACKEND_URL}/api/auth/guest/refresh?env=development`, {
            headers: { 'X-Requested-With': 'XMLHttpRequest' },
          })
        ).status(),
      { timeout: 120_000, intervals: [1_000] },
    )
    .toBe(200);
  await page.goto(path);
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(enter).toBeHidden();
}
