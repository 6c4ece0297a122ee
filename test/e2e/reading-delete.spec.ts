// The metric's owner deletes a mistyped reading from the metric page, after a confirmation, and sees the metric
// back on track.
import { expect, test } from './support/org.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

test('the owner deletes a bad reading from the metric page and the metric is back on track', async ({
  page,
  baseURL,
}) => {
  const run = Date.now().toString(36);
  const headers = { origin: baseURL! };
  const post = async (path: string, data: object) => {
    const response = await page.request.post(path, { data, headers });
    expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
    return response.json();
  };
  const { user } = await post('/api/auth/signup', {
    email: `reading.owner.${run}@example.com`,
    password: 'a long enough password',
    name: 'Rita Reader',
  });
  const { organization } = await post('/api/orgs', { name: `Readings ${run}` });
  // A daily plan passing 50 now: fresh readings near 50 are on track.
  const now = Date.now();
  const { metric } = await post(`/api/orgs/${organization.id}/metrics`, {
    name: 'Parcels scanned',
    unit: 'percent',
    direction: 'higher',
    baseline: 0,
    target: 100,
    frequency: 'daily',
    startAt: new Date(now - 100 * DAY).toISOString(),
    targetAt: new Date(now + 100 * DAY).toISOString(),
    ownerId: user.id,
  });
  const readings = `/api/metrics/${metric.id}/readings`;
  await post(readings, { value: 50, at: new Date(now - 2 * HOUR).toISOString(), source: 'bi' });
  await post(readings, { value: 5, at: new Date(now - HOUR).toISOString(), source: 'typo' });

  await page.goto(`/orgs/${organization.id}/metrics/${metric.id}`);
  const heading = page.getByRole('heading', { name: 'Parcels scanned' }).locator('..');
  await expect(heading).toContainText('off track');
  const table = page.getByRole('table', { name: 'Latest readings' });
  await expect(table.getByRole('row')).toHaveCount(3);

  await table.getByRole('button', { name: /Delete the reading of .* from typo/ }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('Delete this reading?');
  await expect(dialog).toContainText('from typo');
  await dialog.getByRole('button', { name: 'Delete reading' }).click();

  await expect(dialog).toBeHidden();
  await expect(heading).toContainText('on track');
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).not.toContainText('typo');
});
