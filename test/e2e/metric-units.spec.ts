// A metric of plain numbers gets a unit label ("h"), and every figure of it says so: the plan, the readings, the
// refusal of an implausible reading. A percentage has no label to give.
import { expect, test } from './support/org.ts';
import { liveReview } from './support/reviews.ts';

const DAY = 86_400_000;

test('the owner gives a metric its unit, and its figures say it everywhere', async ({ newOrganization }) => {
  const org = await newOrganization({ people: ['Hana Hours'] });
  const owner = org.person('Hana Hours');
  const now = Date.now();
  const created = await owner.api.post(`/api/orgs/${org.id}/metrics`, {
    data: {
      name: 'Median delivery time',
      unit: 'duration',
      direction: 'lower',
      baseline: 40,
      target: 30,
      frequency: 'daily',
      plausibleMax: 200,
      startAt: new Date(now - 50 * DAY).toISOString(),
      targetAt: new Date(now + 50 * DAY).toISOString(),
      ownerId: owner.id,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { metric } = (await created.json()) as { metric: { id: string } };
  const reading = await owner.api.post(`/api/metrics/${metric.id}/readings`, {
    data: { value: 36.5, at: new Date(now - 3_600_000).toISOString(), source: 'bi' },
  });
  expect(reading.status(), await reading.text()).toBe(201);

  const page = await owner.signIn();
  const patches: unknown[] = [];
  page.on('request', (request) => {
    if (request.method() === 'PATCH' && request.url().includes(`/api/metrics/${metric.id}`)) {
      patches.push(request.postDataJSON());
    }
  });
  await page.goto(`/orgs/${org.id}/metrics/${metric.id}`);
  await expect(page.getByText('From 40 to 30')).toBeVisible();

  await page.getByRole('button', { name: 'Edit metric' }).click();
  const editor = page.getByRole('dialog');
  // A percentage says its unit itself: no label to give.
  await editor.getByLabel('Unit', { exact: true }).selectOption('percent');
  await expect(editor.getByLabel('Unit label')).toBeHidden();
  await editor.getByLabel('Unit', { exact: true }).selectOption('duration');
  await editor.getByLabel('Unit label').fill('h');
  await editor.getByRole('button', { name: 'Save changes' }).click();
  await expect(editor).toBeHidden();
  expect(patches).toEqual([{ unitLabel: 'h' }]);

  await expect(page.getByText('From 40 h to 30 h')).toBeVisible();
  await expect(page.getByRole('cell', { name: '36.5 h' })).toBeVisible();

  // A refusal names the bound in the metric's unit.
  await page.getByLabel('Value').fill('500');
  await page.getByRole('button', { name: 'Record reading' }).click();
  await expect(page.getByText('must be at most 200 h')).toBeVisible();

  // The portfolio shows the latest value with its unit too.
  await page.goto(`/orgs/${org.id}`);
  await expect(page.getByTestId(`metric-${metric.id}`)).toContainText('latest 36.5 h');

  // And so does the review room.
  const review = await liveReview(owner, org.id, { title: `Delivery review ${now}`, metricIds: [metric.id] });
  await page.goto(`/reviews/${review.id}`);
  await expect(page.getByTestId('metric-figures').first()).toContainText('latest 36.5 h');
});
