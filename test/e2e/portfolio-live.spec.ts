// A data source pushes a reading with an API token; the portfolio open in the browser shows the new
// status without a reload.
// The demo's portfolio is checked in an organization of its own (seeded as the demo's), since its owner sets a status.
import { request as playwrightRequest } from '@playwright/test';
import { expect, PASSWORD, test } from './support/org.ts';
import { seedFreightPortfolio } from './support/portfolio.ts';

const DAY = 86_400_000;
/** The UTC day `offset` days from today: readings at its midnight are recent, so the metric is not stale. */
const day = (offset: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + offset * DAY)
    .toISOString()
    .slice(0, 10);
};

test('the portfolio shows a slipping metric as soon as a data source pushes the reading', async ({ page, baseURL }) => {
  const run = Date.now().toString(36);
  const headers = { origin: baseURL! };
  const post = async (path: string, data: object) => {
    const response = await page.request.post(path, { data, headers });
    expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
    return response.json();
  };

  const { user } = await post('/api/auth/signup', {
    email: `owner.${run}@example.com`,
    password: 'a long enough password',
    name: 'Olga Owner',
  });
  const { organization } = await post('/api/orgs', { name: `Live Freight ${run}` });
  const base = `/api/orgs/${organization.id}`;
  const { objective } = await post(`${base}/objectives`, { title: 'Cut delivery cost 10%', ownerId: user.id });
  const { metric } = await post(`${base}/metrics`, {
    name: 'Cost per parcel savings',
    unit: 'percent',
    direction: 'higher',
    baseline: 0,
    target: 100,
    // A plan around today, so that a reading today is halfway through it (and fresh).
    startAt: day(-10),
    targetAt: day(10),
    ownerId: user.id,
  });
  const { keyResult } = await post(`${base}/key-results`, {
    objectiveId: objective.id,
    title: 'Parcel cost down',
    metricId: metric.id,
  });
  const { initiative } = await post(`${base}/initiatives`, {
    title: 'Depot automation',
    ownerId: user.id,
    team: 'Operations',
    keyResultId: keyResult.id,
  });
  const linked = await page.request.patch(`/api/metrics/${metric.id}`, {
    data: { initiativeIds: [initiative.id] },
    headers,
  });
  expect(linked.ok()).toBe(true);
  const { secret } = await post(`${base}/tokens`, { name: 'BI' });

  await page.goto(`/orgs/${organization.id}`);
  const metricRow = page.getByTestId(`metric-${metric.id}`);
  await expect(metricRow).toContainText('no data');
  await expect(page.getByText('Depot automation')).toBeVisible();
  await expect(page.getByText('Live', { exact: true })).toBeVisible();

  const source = await playwrightRequest.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: `Bearer ${secret}` },
  });
  const pushed = await source.post(`/api/metrics/${metric.id}/readings`, {
    data: { value: 10, at: `${day(0)}T00:00:00Z`, source: 'bi' },
  });
  expect(pushed.status()).toBe(201);
  await source.dispose();

  // No reload: the page hears about it over its event stream.
  await expect(metricRow).toContainText('off track');
  await expect(metricRow).toContainText('40% behind');
  await expect(page.getByText('Delivery: off track')).toBeVisible();

  // Issue 19: a weekly metric last read three weeks ago is stale, never on track, and says since when.
  const { metric: quiet } = await post(`${base}/metrics`, {
    name: 'Depot audits passed',
    unit: 'percent',
    direction: 'higher',
    baseline: 0,
    target: 100,
    startAt: day(-60),
    targetAt: day(60),
    ownerId: user.id,
  });
  await post(`/api/metrics/${quiet.id}/readings`, { value: 90, at: `${day(-21)}T00:00:00Z` });
  await page.reload();
  await expect(page.getByTestId(`metric-${quiet.id}`)).toContainText('stale · last reading');
  await expect(page.getByTestId(`metric-${quiet.id}`)).not.toContainText('on track');
});

test('the demo portfolio shows fuel savings 18% behind plan, with its initiative and metric pages', async ({
  page,
  newOrganization,
}) => {
  const org = await newOrganization({ people: ['Maya Okafor', 'Sofia Brandt'] });
  await seedFreightPortfolio(org);
  await page.goto('/login');
  await page.getByLabel('Email').fill(org.person('Sofia Brandt').email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  const fuelKeyResult = page.getByText('Key result: Fleet fuel costs down €1.2 M a year');
  await expect(fuelKeyResult).toBeVisible();
  await page.getByLabel('Status').selectOption('off track');
  await expect(page.getByText('Fleet fuel cost savings').first()).toBeVisible();
  await expect(page.getByText('18% behind')).toBeVisible();
  await expect(page.getByText('Dispatch API speed-up')).toBeHidden();

  // The metric page: the chart against the plan, and the owner states the status with a reason.
  await page.getByLabel('Status').selectOption('');
  await page.getByRole('link', { name: 'Initiative: Fleet fuel cost savings' }).click();
  await expect(page.getByRole('heading', { name: 'Fleet fuel cost savings', exact: true })).toBeVisible();
  await expect(page.getByText('Finance · accountable: Sofia Brandt')).toBeVisible();
  await expect(page.getByText('€1,200,000').first()).toBeVisible();
  await page.getByRole('link', { name: 'Fleet fuel cost savings', exact: true }).click();
  await expect(page.getByRole('img', { name: 'Readings of Fleet fuel cost savings against the plan' })).toBeVisible();
  await expect(page.getByText('18% behind plan · threshold 15%')).toBeVisible();
  await page.getByRole('combobox', { name: 'Status' }).selectOption('at risk');
  await page.getByLabel('Reason').fill('Q4 route savings are booked in January');
  await page.getByRole('button', { name: 'Set status' }).click();
  await expect(page.getByText('Owner says: at risk')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Override history' })).toContainText(
    'Q4 route savings are booked in January',
  );
});
