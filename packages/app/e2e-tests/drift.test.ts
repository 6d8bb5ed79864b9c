/* eslint-disable no-console */
import { expect, type Locator, type Page, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { expectNoSeriousA11yViolations } from './accessibility';
import { driftGet, waitForDriftData } from './driftApi';
import { findDriftDatabase, seedFindings } from './seedFindings';
import { signInAsGuest } from './signIn';

const OPEN = ['active', 'acknowledged', 'suppressed'];
const COMMERCE = 'group:default/team-commerce';

// One backend, one demo: the tests build on each other (the acknowledgement is audited later).
test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ playwright }) => {
  // A fresh backend replays five demo snapshots before it has anything to show.
  test.setTimeout(360_000);
  const request = await playwright.request.newContext();
  await waitForDriftData(request, 330_000);
  await request.dispose();
});

/** Milliseconds from `navigate` until every one of `ready` is visible. */
async function timeUntilVisible(
  navigate: () => Promise<void>,
  ...ready: Locator[]
): Promise<number> {
  const started = Date.now();
  await navigate();
  for (const locator of ready)
    await locator.waitFor({ state: 'visible', timeout: 30_000 });
  return Date.now() - started;
}

const findingsTable = (page: Page) =>
  page.getByRole('table', { name: 'Findings' });
const findingsCount = (page: Page) =>
  page.getByRole('heading', { level: 2, name: /^[\d,]+ findings?/ });

test('the sidebar leads to the Drift dashboard, which shows the demo drift', async ({
  page,
}) => {
  const stats = await driftGet(page.request, '/statistics', [
    ['groupBy', 'owner'],
  ]);
  expect(
    stats.totals.unresolved,
    'the demo has unresolved drift',
  ).toBeGreaterThan(0);

  await signInAsGuest(page);
  // The user is on the catalog home page, which has finished loading, when they open Drift.
  await page.waitForLoadState('networkidle');
  const unresolved = page.getByRole('region', { name: 'Unresolved drift' });
  const owners = page.getByRole('table', { name: 'Drift per owner' });
  // Ready: the key figures, the frequency chart and the owners are on screen.
  const ms = await timeUntilVisible(
    () => page.getByRole('link', { name: 'Drift', exact: true }).click(),
    unresolved.getByText(/^\d+$/),
    page.getByRole('img', { name: /^Drift detected per day/ }),
    owners.getByRole('row').nth(1),
  );
  // A figure to read, not a pass mark: timing on shared machines is too noisy to assert.
  console.log(`Dashboard ready (data rendered) in ${ms} ms`);

  await expect(page).toHaveURL(/\/drift$/);
  await expect(
    page.getByRole('main').getByRole('heading', { name: 'Drift', level: 1 }),
  ).toBeVisible();
  await expect(page.getByText('Demo data')).toBeVisible();
  // The default window is 30 days: the demo's 13 days of history are all in it.
  const shown = Number(await unresolved.getByText(/^\d+$/).textContent());
  expect(shown).toBeGreaterThan(0);
  await expect(page.getByRole('region', { name: 'Coverage' })).toContainText(
    `of ${stats.coverage.monitored} monitored resources in sync`,
  );
  await expect(
    page.getByRole('region', { name: 'SLA breaches' }),
  ).toBeVisible();
  for (const group of stats.groups.filter((g: any) => g.active > 0)) {
    await expect(
      owners.locator(
        `a[href$="/catalog/default/group/${group.key.split('/')[1]}"]`,
      ),
    ).toBeVisible();
  }
  await expectNoSeriousA11yViolations(page, 'Dashboard');
});

test('the tracker filters by owner', async ({ page }) => {
  const expected = await driftGet(page.request, '/findings', [
    ['owner', COMMERCE],
    ...OPEN.map(s => ['status', s] as [string, string]),
    ['limit', '1'],
  ]);
  expect(expected.totalCount).toBeGreaterThan(0);

  await signInAsGuest(page, '/drift');
  await expect(
    page.getByRole('region', { name: 'Unresolved drift' }).getByText(/^\d+$/),
  ).toBeVisible();
  await page.waitForLoadState('networkidle');
  const ms = await timeUntilVisible(
    () => page.getByRole('tab', { name: 'Tracker' }).click(),
    findingsTable(page).getByRole('row').nth(1),
  );
  console.log(`Tracker ready (data rendered) in ${ms} ms`);
  await expect(findingsCount(page)).toBeVisible();

  await page.getByLabel('Owner').selectOption({ label: 'team-commerce' });
  await expect(page).toHaveURL(/owner=group%3Adefault%2Fteam-commerce/);
  await expect(findingsCount(page)).toHaveText(
    `${expected.totalCount} finding${expected.totalCount === 1 ? '' : 's'}`,
  );
  const rows = findingsTable(page).locator('tbody tr');
  await expect(rows).toHaveCount(Math.min(expected.totalCount, 50));
  for (const row of await rows.all()) {
    await expect(
      row.locator('a[href$="/catalog/default/group/team-commerce"]'),
    ).toBeVisible();
  }
  await expectNoSeriousA11yViolations(page, 'Tracker');
});

test('acknowledging a finding in the tracker shows up in the entity tab history', async ({
  page,
}) => {
  const note = `Rolling forward with the next release (browser test ${Date.now()})`;
  // Open findings: the row stays in the list once it is acknowledged.
  await signInAsGuest(page, '/drift/tracker');

  const row = findingsTable(page)
    .locator('tbody tr')
    .filter({ has: page.getByRole('button', { name: /^Acknowledge / }) })
    .first();
  const acknowledge = row.getByRole('button', { name: /^Acknowledge / });
  await expect(acknowledge).toBeVisible();
  const resourceKey = (await acknowledge.getAttribute('aria-label'))!.replace(
    /^Acknowledge /,
    '',
  );
  const entityPath = (await row
    .getByRole('link')
    .first()
    .getAttribute('href'))!;

  await acknowledge.click();
  const dialog = page.getByRole('dialog', { name: 'Acknowledge drift' });
  await dialog.getByRole('textbox', { name: 'Note' }).fill(note);
  await expectNoSeriousA11yViolations(page, 'Acknowledge dialog');
  await dialog.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`Acknowledged ${resourceKey}`)).toBeVisible();

  const acknowledgedRow = findingsTable(page)
    .locator('tbody tr')
    .filter({ hasText: resourceKey });
  await expect(acknowledgedRow.first()).toContainText('acknowledged');
  await findingsTable(page).locator(`a[href="${entityPath}"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`${entityPath}$`));
  const history = page
    .getByRole('region', { name: 'Open drift' })
    .getByRole('table', { name: `History of ${resourceKey}` });
  const acknowledgement = history.getByRole('row').filter({ hasText: note });
  await expect(acknowledgement).toContainText('Acknowledged');
  await expect(acknowledgement).toContainText(/guest/i);
  await expect(
    page.getByRole('table', { name: 'Monitored resources' }),
  ).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'Entity Drift tab');

  // Scan now: progress while it runs, the outcome when it ends.
  await page.getByRole('button', { name: 'Scan now' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: /^Scan (succeeded|partial)/ }),
  ).toBeVisible({
    timeout: 60_000,
  });

  // The overview card says drifted, with the worst severity.
  await page.goto(entityPath.replace(/\/drift$/, ''));
  const card = page
    .getByText('View drift details')
    .locator('xpath=ancestor::*[contains(@class, "MuiCard-root")][1]');
  await expect(card).toContainText('Drifted');
  await expect(card).toContainText(/open findings?, worst/);
});

test('the security page audits the acknowledgement and exports it as CSV', async ({
  page,
}) => {
  await signInAsGuest(page, '/drift/security');
  const audit = page
    .getByRole('table')
    .filter({ hasText: 'Rolling forward with the next release' });
  await expect(audit).toBeVisible();
  await expect(
    page.getByRole('img', {
      name: /^Security-relevant drift detected per day/,
    }),
  ).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'Open security drift' }),
  ).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'Security trends');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export audit log as CSV' }).click();
  const csv = await readFile((await (await download).path())!, 'utf8');
  const [header, ...rows] = csv.trim().split('\n');
  expect(header).toBe(
    'at,actor,decision,entity,resource,owner,severity,note,suppressedUntil,findingId',
  );
  expect(
    rows.some(r => r.includes('acknowledged') && r.includes('Rolling forward')),
  ).toBeTruthy();
});

test('the review exports a CSV with the expected rows', async ({ page }) => {
  await signInAsGuest(page, '/drift/review');
  const count = async (name: string) =>
    Number(
      await page.getByRole('region', { name }).getByText(/^\d+$/).textContent(),
    );
  await expect(
    page.getByRole('region', { name: 'New' }).getByText(/^\d+$/),
  ).toBeVisible();
  const [fresh, resolved, open] = [
    await count('New'),
    await count('Resolved'),
    await count('Still open'),
  ];
  expect(fresh + resolved + open).toBeGreaterThan(0);
  await expectNoSeriousA11yViolations(page, 'Bi-weekly review');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(
    /^drift-review-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/,
  );
  const [header, ...rows] = (await readFile((await file.path())!, 'utf8'))
    .trim()
    .split('\n');
  expect(header.split(',')).toEqual([
    'section',
    'id',
    'entity',
    'resource',
    'provider',
    'location',
    'status',
    'resourceStatus',
    'severity',
    'tier',
    'owner',
    'categories',
    'openedAt',
    'resolvedAt',
    'slaDueAt',
    'slaBreached',
  ]);
  const sections = rows.map(r => r.split(',')[0]);
  expect(sections.filter(s => s === 'new')).toHaveLength(fresh);
  expect(sections.filter(s => s === 'resolved')).toHaveLength(resolved);
  expect(sections.filter(s => s === 'open')).toHaveLength(open);
  console.log(
    `Review CSV: ${rows.length} rows (${fresh} new, ${resolved} resolved, ${open} open)`,
  );

  const markdown = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export Markdown' }).click();
  const md = await readFile((await (await markdown).path())!, 'utf8');
  expect(md).toMatch(/^# Drift review \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/);
  expect(md).toContain(`- New: ${fresh}`);
});

test('an annotated entity has a Drift tab', async ({ page }) => {
  await signInAsGuest(page, '/catalog/default/component/booking-api');
  await page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name: 'Drift', exact: true })
    .click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/booking-api\/drift$/,
  );
  await expect(page.getByText('Drift status')).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'Monitored resources' }),
  ).toContainText('Deployment');
});

test('the dashboard and the tracker stay fast with 200,000 findings in the store', async ({
  page,
}) => {
  // Seeding 200,000 findings takes a while on a small machine.
  test.setTimeout(300_000);
  const database = findDriftDatabase();
  if (!database) {
    throw new Error(
      'No SQLite database of the drift backend to add findings to: start Backstage with ' +
        'scripts/app-config.test.yaml, or set DRIFT_E2E_SQLITE_FILE',
    );
  }
  const seeded = seedFindings(database, 200_000);
  try {
    const total = await driftGet(page.request, '/findings', [['limit', '1']]);
    expect(total.totalCount).toBeGreaterThanOrEqual(200_000);

    await signInAsGuest(page);
    await page.waitForLoadState('networkidle');
    // Ready: the key figures, the frequency chart and the owners are on screen.
    const dashboardMs = await timeUntilVisible(
      () => page.getByRole('link', { name: 'Drift', exact: true }).click(),
      page.getByRole('region', { name: 'Unresolved drift' }).getByText(/^\d+$/),
      page.getByRole('img', { name: /^Drift detected per day/ }),
      page
        .getByRole('table', { name: 'Drift per owner' })
        .getByRole('row')
        .nth(1),
    );
    // Figures to read, not pass marks: timing on shared machines is too noisy to assert.
    console.log(
      `Dashboard ready with ${total.totalCount} findings in the store in ${dashboardMs} ms`,
    );
    await page.waitForLoadState('networkidle');
    const ms = await timeUntilVisible(
      () => page.getByRole('tab', { name: 'Tracker' }).click(),
      findingsTable(page).getByRole('row').nth(1),
    );
    // The tracker opens on the open findings: about a third of those seeded.
    await expect(findingsCount(page)).toHaveText(/^[\d,]{5,} findings$/);
    await expect(findingsTable(page).locator('tbody tr')).toHaveCount(50);
    console.log(
      `Tracker ready with ${total.totalCount} findings in the store in ${ms} ms`,
    );

    // Paging goes through the cursor, not an offset into 200,000 rows.
    const pageMs = await timeUntilVisible(
      () => page.getByRole('button', { name: 'Next page' }).click(),
      page.getByText(/^51-100 of /),
    );
    console.log(`Tracker next page in ${pageMs} ms`);
  } finally {
    seeded.remove();
  }
});
