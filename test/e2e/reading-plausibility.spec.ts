// An owner records readings by hand (issue 27): -50 on a percent metric is refused under the value field and
// nothing is recorded; the owner widens the metric's bounds (the form sends only that change); a value far outside
// the recent readings is asked about and recorded once confirmed (with the same Idempotency-Key); a mistyped reading
// is corrected in place and the table shows the new value.
import type { Page } from '@playwright/test';
import { expect, test } from './support/org.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

async function record(page: Page, value: string) {
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Record reading' }) });
  await form.getByLabel('Value').fill(value);
  await form.getByRole('button', { name: 'Record reading' }).click();
  return form;
}

test('the owner is stopped on an implausible reading, confirms a jump and corrects a reading', async ({
  baseURL,
  newOrganization,
}) => {
  // An organization of its own, with the owner as its admin: the demo stays as seeded.
  const org = await newOrganization({ people: ['Maya Okafor'] });
  const page = await org.person('Maya Okafor').signIn();
  const user = { id: org.idOf('Maya Okafor') };
  const organization = { id: org.id };
  const headers = { origin: baseURL! };
  const post = async (path: string, data: object) => {
    const response = await page.request.post(path, { data, headers });
    expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
    return response.json();
  };
  const now = Date.now();
  const plan = { frequency: 'daily', startAt: new Date(now - 100 * DAY).toISOString(), ownerId: user.id };
  const { metric: audited } = await post(`/api/orgs/${organization.id}/metrics`, {
    ...plan,
    name: 'Depots audited',
    unit: 'percent',
    direction: 'higher',
    baseline: 0,
    target: 100,
    targetAt: new Date(now + 100 * DAY).toISOString(),
  });
  await post(`/api/metrics/${audited.id}/readings`, { value: 50, at: new Date(now - 2 * HOUR).toISOString() });
  const { metric: latency } = await post(`/api/orgs/${organization.id}/metrics`, {
    ...plan,
    name: 'Dispatch latency',
    unit: 'duration',
    direction: 'lower',
    baseline: 1200,
    target: 300,
    targetAt: new Date(now + 100 * DAY).toISOString(),
  });
  for (const [index, value] of [1100, 1000, 950, 900].entries()) {
    const at = new Date(now - (4 - index) * DAY).toISOString();
    await post(`/api/metrics/${latency.id}/readings`, { value, at, source: 'apm' });
  }

  // -50% is no reading of a percent metric: the reason shows under the value, and nothing is recorded.
  await page.goto(`/orgs/${organization.id}/metrics/${audited.id}`);
  const table = page.getByRole('table', { name: 'Latest readings' });
  await expect(table.getByRole('row')).toHaveCount(2);
  const form = await record(page, '-50');
  await expect(form.getByLabel('Value')).toHaveAttribute('aria-invalid', 'true');
  await expect(form).toContainText('Readings of this metric must be between 0% and 100%');
  await expect(table.getByRole('row')).toHaveCount(2);
  const stored = await (await page.request.get(`/api/metrics/${audited.id}/readings`)).json();
  expect(stored.readings.map((r: { value: number }) => r.value)).toEqual([50]);

  // The owner allows up to 150% (a share of a plan can overshoot): the form sends only that change, and 140% is taken.
  await page.getByRole('button', { name: 'Edit metric' }).click();
  const metricForm = page.getByRole('dialog', { name: 'Change Depots audited' });
  await expect(metricForm.getByLabel('Highest plausible value')).toHaveValue('');
  await metricForm.getByLabel('Highest plausible value').fill('150');
  const patch = page.waitForRequest((request) => request.method() === 'PATCH');
  await metricForm.getByRole('button', { name: 'Save changes' }).click();
  expect((await patch).postDataJSON()).toEqual({ plausibleMax: 150 });
  await expect(metricForm).toBeHidden();
  await record(page, '140');
  await expect(table.getByRole('row').nth(1)).toContainText('140%');

  // 90,000 ms after readings of 900 to 1,100 ms is asked about, then recorded with the same Idempotency-Key.
  await page.goto(`/orgs/${organization.id}/metrics/${latency.id}`);
  const keys: (string | undefined)[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith(`/api/metrics/${latency.id}/readings`))
      keys.push(request.headers()['idempotency-key']);
  });
  await record(page, '90000');
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('This is far outside the recent readings (900 to 1,100). Record it anyway?');
  await dialog.getByRole('button', { name: 'Record it anyway' }).click();
  await expect(dialog).toBeHidden();
  await expect(table.getByRole('row')).toHaveCount(6);
  await expect(table.getByRole('row').nth(1)).toContainText('90,000');
  expect(keys).toHaveLength(2);
  expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(keys[1]).toBe(keys[0]);

  // The 900 ms reading was mistyped: the owner corrects it to 920 ms in place.
  const withValue = (value: string) =>
    table.getByRole('row').filter({ has: page.getByRole('cell', { name: value, exact: true }) });
  const mistyped = withValue('900');
  await mistyped.getByRole('button', { name: /Edit the reading of .* from apm/ }).click();
  const editor = page.getByRole('dialog', { name: 'Correct this reading' });
  await expect(editor.getByLabel('Value')).toHaveValue('900');
  await editor.getByLabel('Value').fill('920');
  await editor.getByRole('button', { name: 'Save correction' }).click();
  await expect(editor).toBeHidden();
  await expect(withValue('920')).toHaveCount(1);
  await expect(withValue('900')).toHaveCount(0);
  await expect(table.getByRole('row')).toHaveCount(6);
  const after = await (await page.request.get(`/api/metrics/${latency.id}/readings`)).json();
  expect(after.readings.map((r: { value: number }) => r.value)).toEqual([90_000, 920, 950, 1000, 1100]);

  // The corrected reading keeps what it was, shown on demand; one never corrected says so.
  await withValue('920')
    .getByRole('button', { name: /History of the reading of .* from apm/ })
    .click();
  const history = table.getByTestId('reading-history');
  await expect(history.getByRole('listitem')).toHaveCount(1);
  await expect(history).toContainText('Was 900, corrected');
  await withValue('950')
    .getByRole('button', { name: /History of the reading/ })
    .click();
  await expect(table.getByTestId('reading-history')).toHaveCount(1);
  await expect(table.getByTestId('reading-history')).toContainText('Never corrected');
});
