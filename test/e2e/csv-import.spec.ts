// An owner imports readings from a CSV file: preview, suggested mapping, progress, per-line errors. In an
// organization of its own with the demo's metrics, so the demo's readings stay as seeded.
import { PASSWORD, expect, test } from './support/org.ts';
import { seedFreightPortfolio } from './support/portfolio.ts';

test('the VP imports a CSV of readings and sees what was imported and what was not', async ({
  page,
  newOrganization,
}) => {
  const org = await newOrganization({ people: ['Maya Okafor'] });
  await seedFreightPortfolio(org);
  await page.goto('/login');
  await page.getByLabel('Email').fill(org.person('Maya Okafor').email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('link', { name: 'Import readings (CSV)' }).click();

  const csv = [
    'KPI,Date,Actual,Comments',
    'Depots with handheld scanners,2026-01-05T10:00:00Z,31,north depots',
    'Depots with handheld scanners,2026-01-06T10:00:00Z,32,',
    'Median last-mile delivery time,2026-01-06T10:00:00Z,44.1,',
    'Depots with handheld scanners,2026-01-07T10:00:00Z,not measured,',
    'Median last-mile delivery time,2026-01-07T10:00:00Z,43.8,',
    // Far outside the three readings before it (the seeded one and the two above).
    `Median last-mile delivery time,${new Date(Date.now() - 3_600_000).toISOString()},4410,typed with extra digits?`,
  ].join('\n');
  await page
    .getByLabel('CSV file')
    .setInputFiles({ name: 'readings.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

  await expect(page.getByRole('table', { name: 'First rows of the file' })).toContainText('north depots');
  await expect(page.getByLabel('Metric (id or name)')).toHaveValue('KPI');
  await expect(page.getByLabel('Value')).toHaveValue('Actual');
  await expect(page.getByLabel('Date or time')).toHaveValue('Date');

  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();
  await expect(page.getByText('4 imported')).toBeVisible();
  const rejected = page.getByRole('list', { name: 'Rejected rows' });
  await expect(rejected).toContainText('Line 5: value "not measured" is not a number');
  // A value far outside the recent readings is held back, not lost: the person may confirm it from the list.
  const jump = rejected.getByTestId('rejected-row').filter({ hasText: 'Line 7' });
  await expect(jump).toContainText('far outside the recent readings');
  await expect(rejected.getByTestId('rejected-row').filter({ hasText: 'Line 5' }).getByRole('button')).toHaveCount(0);
  await jump.getByRole('button', { name: 'Record anyway' }).click();
  await expect(jump.getByRole('status')).toHaveText('✓ Recorded');

  const metricId = await page.evaluate(async () => {
    const orgId = location.pathname.split('/')[2];
    const body = await (await fetch(`/api/orgs/${orgId}/metrics`)).json();
    return body.metrics.find((m: { name: string }) => m.name === 'Median last-mile delivery time').id as string;
  });
  const { readings } = await (await page.request.get(`/api/metrics/${metricId}/readings?limit=200`)).json();
  expect(readings.filter((r: { value: number }) => r.value === 4410)).toHaveLength(1);
});
