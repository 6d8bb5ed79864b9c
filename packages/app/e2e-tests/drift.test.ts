import { test, expect } from '@playwright/test';
import { signInAsGuest } from './signIn';

test('the sidebar leads to the Drift page', async ({ page }) => {
  await signInAsGuest(page);
  await page.getByRole('link', { name: 'Drift', exact: true }).click();
  await expect(page).toHaveURL(/\/drift$/);
  await expect(page.getByRole('main').getByRole('heading', { name: 'Drift', level: 1 })).toBeVisible();
  await expect(page.getByText('Scanner')).toBeVisible();
});

test('an annotated entity has a Drift tab', async ({ page }) => {
  await signInAsGuest(page, '/catalog/default/component/booking-api');
  await page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name: 'Drift', exact: true })
    .click();
  await expect(page).toHaveURL(/\/catalog\/default\/component\/booking-api\/drift$/);
  await expect(page.getByText('Drift sources')).toBeVisible();
  await expect(page.getByText('file:../gitops/booking-api')).toBeVisible();
});
