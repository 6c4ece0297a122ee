// An admin builds a small portfolio in the browser, a data source pushes a reading with an API token,
// and the open portfolio turns off track without a reload.
import { request as playwrightRequest } from '@playwright/test';
import { expect, test } from './support/org.ts';

const DAY = 86_400_000;
/** The UTC day `offset` days from today: readings at its midnight are recent, so the metric is not stale. */
const day = (offset: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + offset * DAY)
    .toISOString()
    .slice(0, 10);
};

test('an admin creates an objective, metric, key result and initiative; a token-pushed reading shows live', async ({
  page,
  baseURL,
}) => {
  const run = Date.now().toString(36);
  // An edit sends only what was changed (issue 19: a form that sent every field wrote back stale values).
  const patches: { path: string; body: unknown }[] = [];
  page.on('request', (sent) => {
    if (sent.method() === 'PATCH') patches.push({ path: new URL(sent.url()).pathname, body: sent.postDataJSON() });
  });
  await page.goto('/signup');
  await page.getByLabel('Name').fill('Petra Planner');
  await page.getByLabel('Email').fill(`petra.${run}@example.com`);
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByLabel('Organization name').fill(`Planner Freight ${run}`);
  await page.getByRole('button', { name: 'Create organization' }).click();
  // The first-run checklist greets a new admin (first-run.spec.ts follows it); hidden, the empty portfolio says
  // what it will show.
  await page.getByRole('button', { name: 'Hide this checklist' }).click();
  await expect(page.getByText('No objectives yet')).toBeVisible();

  await page.getByRole('button', { name: 'New objective' }).click();
  let dialog = page.getByRole('dialog');
  await dialog.getByLabel('Title').fill('Cut last-mile delivery time 20%');
  await dialog.getByLabel('Owner').selectOption({ label: 'Petra Planner' });
  await dialog.getByRole('button', { name: 'Create objective' }).click();
  await expect(page.getByRole('heading', { name: 'Cut last-mile delivery time 20%' })).toBeVisible();

  // A typo in the objective is fixed in place.
  await page.getByRole('button', { name: 'Edit objective Cut last-mile delivery time 20%' }).click();
  const objectiveEditor = page.getByRole('dialog');
  await expect(objectiveEditor.getByLabel('Title')).toHaveValue('Cut last-mile delivery time 20%');
  await objectiveEditor.getByLabel('Title').fill('Cut last-mile delivery time by 20%');
  await objectiveEditor.getByRole('button', { name: 'Save changes' }).click();
  await expect
    .poll(() => patches.find((patch) => patch.path.includes('/objectives/'))?.body)
    .toEqual({
      title: 'Cut last-mile delivery time by 20%',
    });
  await expect(objectiveEditor).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Cut last-mile delivery time by 20%' })).toBeVisible();

  await page.getByRole('button', { name: 'New metric' }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('Parcels scanned at the door');
  await dialog.getByLabel('Unit', { exact: true }).selectOption('percent');
  await dialog.getByLabel('Baseline').fill('0');
  await dialog.getByLabel('Target', { exact: true }).fill('100');
  // A plan around today, so that a reading today is halfway through it (and fresh).
  await dialog.getByLabel('Plan starts').fill(day(-10));
  // A target date before the start is refused next to the field, and nothing is lost.
  await dialog.getByLabel('Target date').fill(day(-11));
  await dialog.getByLabel('Owner').selectOption({ label: 'Petra Planner' });
  await dialog.getByRole('button', { name: 'Create metric' }).click();
  await expect(dialog.getByText('must be after the start date')).toBeVisible();
  await dialog.getByLabel('Target date').fill(day(10));
  await dialog.getByRole('button', { name: 'Create metric' }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: 'New key result' }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('Objective').selectOption({ label: 'Cut last-mile delivery time by 20%' });
  await dialog.getByLabel('Title').fill('Every parcel scanned at the door');
  await dialog.getByLabel('Measured by').selectOption({ label: 'Parcels scanned at the door' });
  await dialog.getByRole('button', { name: 'Add key result' }).click();
  await expect(page.getByText('Key result: Every parcel scanned at the door')).toBeVisible();
  await page.getByRole('button', { name: 'Edit key result Every parcel scanned at the door' }).click();
  await page.getByRole('dialog').getByLabel('Title').fill('Every parcel scanned at the door, in every depot');
  await page.getByRole('dialog').getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Key result: Every parcel scanned at the door, in every depot')).toBeVisible();

  await page.getByRole('button', { name: 'New initiative' }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('Title').fill('Handheld scanner rollout');
  await dialog.getByLabel('Accountable owner').selectOption({ label: 'Petra Planner' });
  await dialog.getByLabel('Team').fill('Regional operations');
  await dialog
    .getByLabel('Key result it serves')
    .selectOption({ label: 'Every parcel scanned at the door, in every depot' });
  await dialog.getByRole('button', { name: 'Create initiative' }).click();
  await expect(page.getByText('Handheld scanner rollout')).toBeVisible();
  await expect(page.getByText('Regional operations · accountable: Petra Planner')).toBeVisible();

  const portfolioUrl = page.url();
  await page.getByRole('link', { name: 'API tokens' }).click();
  await page.getByLabel('Token name').fill('Depot scanners feed');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = await page.getByLabel('Secret for “Depot scanners feed”').inputValue();
  await page.goto(portfolioUrl);
  const metricRow = page
    .getByText('Parcels scanned at the door')
    .locator('xpath=ancestor::div[starts-with(@data-testid, "metric-")]');
  await expect(metricRow).toContainText('no data');
  await expect(page.getByText('Live', { exact: true })).toBeVisible();

  const metricId = (await metricRow.getAttribute('data-testid'))!.replace('metric-', '');
  const source = await playwrightRequest.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: `Bearer ${secret}` },
  });
  const pushed = await source.post(`/api/metrics/${metricId}/readings`, {
    data: { value: 20, at: `${day(0)}T00:00:00Z`, source: 'scanners' },
  });
  expect(pushed.status()).toBe(201);
  await source.dispose();

  await expect(metricRow).toContainText('off track');
  await expect(metricRow).toContainText('30% behind');

  // Change the metric: the dialog starts from its current values.
  await page.getByRole('link', { name: 'Parcels scanned at the door' }).click();
  await page.getByRole('button', { name: 'Edit metric' }).click();
  const editor = page.getByRole('dialog');
  await expect(editor.getByLabel('Target', { exact: true })).toHaveValue('100');
  await editor.getByLabel('Name').fill('Parcels scanned at the doorstep');
  await editor.getByRole('button', { name: 'Save changes' }).click();
  await expect(editor).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Parcels scanned at the doorstep', exact: true })).toBeVisible();

  await page.getByRole('link', { name: '← Portfolio' }).click();
  await page.getByRole('link', { name: 'Initiative: Handheld scanner rollout' }).click();
  await page.getByRole('button', { name: 'Edit initiative' }).click();
  const initiativeEditor = page.getByRole('dialog');
  await expect(initiativeEditor.getByLabel('Team')).toHaveValue('Regional operations');
  await initiativeEditor.getByLabel('Team').fill('Depot operations');
  await initiativeEditor.getByRole('button', { name: 'Save changes' }).click();
  await expect(initiativeEditor).toBeHidden();
  await expect(page.getByText('Depot operations · accountable: Petra Planner')).toBeVisible();
  expect(patches.find((patch) => patch.path.includes('/initiatives/'))?.body).toEqual({ team: 'Depot operations' });
});
