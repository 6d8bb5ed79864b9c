/* eslint-disable no-console */
import { expect, test } from '@playwright/test';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { expectNoSeriousA11yViolations } from './accessibility';
import {
  BACKEND_URL,
  driftGet,
  guestToken,
  waitForDriftData,
} from './driftApi';
import { signInAsGuest } from './signIn';

const BOOKING_API = 'component:default/booking-api';
const CLI = resolve(__dirname, '../../cli/bin/driftwatch');

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(360_000);
  const request = await playwright.request.newContext();
  await waitForDriftData(request, 330_000);
  await request.dispose();
});

test('the demo records dry-run pages for tier-1 and tier-2 findings and the entity tab shows them', async ({
  page,
}) => {
  const { items } = await driftGet(page.request, '/events', [
    ['type', 'routed'],
    ['limit', '1000'],
  ]);
  const deliveries = items.map((e: any) => ({
    entityRef: e.entityRef,
    ...e.details,
  }));
  // Tier-1 entities page at once; tier-2 findings past their SLA are routed as tier 1.
  const pages = deliveries.filter(
    (d: any) => d.action === 'pagerduty' && d.status === 'delivered',
  );
  expect(pages.length).toBeGreaterThan(0);
  expect(pages.every((d: any) => d.dryRun === true)).toBe(true);
  // Pages are raised as tier 1; a page is closed (resolved, acknowledged) as the finding's tier.
  const raised = pages.filter((d: any) =>
    ['opened', 'severity-rose', 'escalated'].includes(d.outcome),
  );
  expect(new Set(raised.map((d: any) => d.tier))).toEqual(new Set([1]));
  expect(
    pages.some(
      (d: any) => d.entityRef === BOOKING_API && d.outcome === 'opened',
    ),
  ).toBe(true);
  expect(pages.some((d: any) => d.outcome === 'escalated')).toBe(true);
  // A dry run records the request it would send, without the routing key.
  expect(JSON.stringify(pages[0].request)).not.toMatch(
    /routing_key":"[0-9a-f]{32}/,
  );
  expect(
    deliveries.some(
      (d: any) =>
        d.action === 'notify-owner' && d.tier === 2 && d.status === 'delivered',
    ),
  ).toBe(true);

  await signInAsGuest(page, '/catalog/default/component/booking-api/drift');
  const openDrift = page.getByRole('region', { name: 'Open drift' });
  await expect(openDrift.getByText('Paged (PagerDuty)').first()).toBeVisible();
  await expect(openDrift.getByText('dry run').first()).toBeVisible();
});

test('the Routing tab shows the policy in force and the recent deliveries', async ({
  page,
}) => {
  await signInAsGuest(page, '/drift/routing');
  const policy = page.getByRole('table', { name: 'Routing policy' });
  await expect(policy).toBeVisible();
  const tier1 = policy.getByRole('row').filter({ hasText: 'PagerDuty' });
  await expect(tier1).toContainText('GitHub hotfix PR');
  await expect(tier1).toContainText('dry run');
  await expect(page.getByText('Recent deliveries')).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'Routing tab');
});

test('the merge gate answers the same through the API and the driftwatch command', async ({
  page,
}) => {
  const gate = await driftGet(page.request, '/gate', [
    ['entityRef', BOOKING_API],
  ]);
  expect(['pass', 'fail']).toContain(gate.result);
  const token = await guestToken(page.request);
  const cli = await promisify(execFile)(
    CLI,
    ['gate', '--entity', BOOKING_API, '--url', BACKEND_URL, '--json'],
    {
      env: { ...process.env, DRIFTWATCH_TOKEN: token },
    },
  ).then(
    result => ({ code: 0, stdout: result.stdout }),
    (error: any) => ({
      code: error.code as number,
      stdout: String(error.stdout),
    }),
  );
  expect(cli.code).toBe(gate.result === 'pass' ? 0 : 1);
  const answer = JSON.parse(cli.stdout);
  expect(answer.result).toBe(gate.result);
  expect(answer.reasons.map((r: any) => r.findingId).sort()).toEqual(
    gate.reasons.map((r: any) => r.findingId).sort(),
  );
  console.log(
    `gate ${BOOKING_API}: ${gate.result}, ${gate.reasons.length} reason(s); driftwatch gate exit ${cli.code}`,
  );
});

test('the demo shows environments: filters on the dashboard, and a cross-environment comparison on the entity tab', async ({
  page,
}) => {
  const { items } = await driftGet(page.request, '/resources', [
    ['entityRef', 'component:default/shop-cart'],
    ['limit', '500'],
  ]);
  const environments = new Set(items.map((r: any) => r.environment));
  expect(environments).toEqual(new Set(['production', 'staging']));

  await signInAsGuest(page, '/drift');
  const environment = page.getByRole('combobox', { name: 'Environment' });
  await expect(environment).toBeVisible();
  await environment.selectOption({ label: 'staging' });
  await expect(page).toHaveURL(/environment=staging/);

  await page.goto('/catalog/default/component/shop-cart/drift');
  await expect(page.getByText('Across environments')).toBeVisible();
  await expect(
    page.getByText(/Live state compared between production, staging/),
  ).toBeVisible();
});
