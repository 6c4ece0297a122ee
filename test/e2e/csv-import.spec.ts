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
  await expect(page.getByText('3 imported')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Rejected rows' })).toContainText(
    'Line 5: value "not measured" is not a number',
  );
});
