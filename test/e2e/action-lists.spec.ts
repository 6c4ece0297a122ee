// An owner finds what they committed to, commits to a new decision, meets a change made meanwhile, drops one with
// a reason; the organization's list filters through the address and exports the same filter as CSV.
// Maya and Sofia are in an organization of the spec's own with the demo's portfolio, so the demo's list stays as
// seeded.
import type { APIRequestContext } from '@playwright/test';
import { createOrganization, expect, PASSWORD, test, type Organization } from './support/org.ts';
import { seedFreightPortfolio } from './support/portfolio.ts';
import { liveReview } from './support/reviews.ts';

let org: Organization;
let maya: APIRequestContext;
let orgId: string;
let reviewId: string;
let sofiaId: string;
let metricId: string;

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function record(title: string, dueInDays: number, extra: Record<string, unknown> = {}) {
  const id = crypto.randomUUID();
  const response = await maya.post(`/api/reviews/${reviewId}/actions`, {
    data: { id, title, ownerId: sofiaId, dueDate: inDays(dueInDays), ...extra },
  });
  expect(response.status()).toBe(201);
  return id;
}

test.beforeAll(async ({ browser, baseURL }) => {
  org = await createOrganization(browser, baseURL!, { people: ['Maya Okafor', 'Sofia Brandt'] });
  const portfolio = await seedFreightPortfolio(org);
  maya = org.person('Maya Okafor').api;
  orgId = org.id;
  reviewId = (await liveReview(org.person('Maya Okafor'), orgId, { title: 'Weekly ops review' })).id;
  sofiaId = org.idOf('Sofia Brandt');
  metricId = portfolio.metricIds[0]!;
});
test.afterAll(() => org?.close());

test('an owner commits to a decision, meets a change made meanwhile, and drops another with a reason', async ({
  page,
}) => {
  const committed = await record('Renegotiate the diesel supply contract', 3, {
    metricId,
    expectedEffect: { maxSlip: 0.05, by: inDays(60) },
  });
  const dropped = await record('Sell the two oldest vans', 30);

  await page.goto('/login');
  await page.getByLabel('Email').fill(org.person('Sofia Brandt').email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('link', { name: 'My commitments' }).click();
  await expect(page.getByRole('heading', { name: 'My commitments' })).toBeVisible();

  const thisWeek = page.getByRole('region', { name: /Due this week/ });
  const row = thisWeek.getByRole('listitem').filter({ hasText: 'Renegotiate the diesel supply contract' });
  await expect(row).toContainText('due in 3 days');
  await expect(row).toContainText('proposed');
  await row.getByRole('button', { name: /I commit/ }).click();
  await expect(row).toContainText('committed');
  await expect(row.getByRole('button', { name: /Mark .* done/ })).toBeVisible();
  await expect(page.getByRole('region', { name: /Later/ })).toContainText('Sell the two oldest vans');

  // The item's own page: what it should change, where it was decided.
  await row.getByRole('link', { name: 'Renegotiate the diesel supply contract' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Renegotiate the diesel supply contract' })).toBeVisible();
  await expect(page.getByText('Waiting for readings')).toBeVisible();
  await expect(page.getByRole('link', { name: 'See the moment in the replay' })).toHaveAttribute(
    'href',
    new RegExp(`^/reviews/${reviewId}/replay\\?at=\\d+$`),
  );
  await expect(page.getByRole('list').filter({ hasText: 'Sofia Brandt committed to it' })).toBeVisible();

  // Someone else changes it meanwhile: marking it done is refused, the page shows the latest version.
  const current = await (await maya.get(`/api/actions/${committed}`)).json();
  expect(
    (
      await maya.patch(`/api/actions/${committed}`, {
        data: { version: current.action.version, title: 'Renegotiate the diesel and AdBlue contract' },
      })
    ).ok(),
  ).toBe(true);
  await page.getByRole('button', { name: 'Mark done' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'changed this action item meanwhile' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Renegotiate the diesel and AdBlue contract');
  await page.getByRole('button', { name: 'Mark done' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Marked done.' })).toBeVisible();
  await expect(page.getByText('Sofia Brandt marked it done')).toBeVisible();

  // Dropping needs a reason.
  await page.goto(`/actions/${dropped}`);
  await page.getByRole('button', { name: 'Drop…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Drop this action item' });
  await dialog.getByRole('button', { name: 'Drop it' }).click();
  await expect(dialog.getByText('Say why, so the next review knows')).toBeVisible();
  await dialog.getByLabel('Why drop it?').fill('The vans pass their inspection after all');
  await dialog.getByRole('button', { name: 'Drop it' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Dropped: “The vans pass their inspection after all”')).toBeVisible();
});

test("the organization's list filters through the address and exports the same filter", async ({ page }) => {
  await record('Publish the fuel card policy', 10);
  await page.goto('/login');
  await page.getByLabel('Email').fill(org.person('Maya Okafor').email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('link', { name: 'Actions', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Action items' })).toBeVisible();
  const table = page.getByRole('table');
  await expect(table).toContainText('Publish the fuel card policy');

  await page.getByLabel('Owner').selectOption({ label: 'Sofia Brandt' });
  await page.getByLabel('Status').selectOption({ label: 'Proposed' });
  await expect(page).toHaveURL(new RegExp(`ownerId=${sofiaId}`));
  await expect(page).toHaveURL(/status=proposed/);
  await expect(table).toContainText('Publish the fuel card policy');
  for (const owner of await table.locator('tbody tr td:nth-child(2)').allTextContents())
    expect(owner.trim()).toBe('Sofia Brandt');
  const csv = page.getByRole('link', { name: /Export CSV/ });
  await expect(csv).toHaveAttribute(
    'href',
    new RegExp(`/api/orgs/${orgId}/actions\\.csv\\?ownerId=${sofiaId}&status=proposed`),
  );

  // The filtered address opens the same list; the export downloads a CSV file.
  await page.reload();
  await expect(page.getByLabel('Status')).toHaveValue('proposed');
  const download = page.waitForEvent('download');
  await csv.click();
  expect((await download).suggestedFilename()).toMatch(/^lastmile-actions-\d{4}-\d{2}-\d{2}\.csv$/);

  await page.getByLabel('Search').fill('no such action anywhere');
  await page.getByLabel('Search').press('Enter');
  await expect(page.getByText('No action items match these filters')).toBeVisible();
  await page.getByRole('button', { name: 'Clear the filters' }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${orgId}/actions$`));
  await expect(table).toContainText('Publish the fuel card policy');
});
