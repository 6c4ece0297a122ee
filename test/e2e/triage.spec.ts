// A weekly review goes live with fleet fuel savings 18% behind plan: opening it shows the triage item first, with
// why and what depends on it; a bad reading mid-meeting pivots another metric in front of everyone. In an
// organization of its own with the demo's portfolio (demo.spec.ts checks the demo's own review, reading only).
import { expect, test } from './support/org.ts';
import { FUEL, LATENCY, seedFreightPortfolio } from './support/portfolio.ts';
import { expectFuelTriageOnTop, liveReview, SERIES } from './support/reviews.ts';

test('the weekly review opens on the fuel savings triage, and a slipping reading pivots the agenda live', async ({
  baseURL,
  newOrganization,
}) => {
  const headers = { origin: baseURL! };
  const org = await newOrganization({ people: ['Maya Okafor', 'Jonas Lindqvist'] });
  const portfolio = await seedFreightPortfolio(org);
  const maya = org.person('Maya Okafor');
  const demo = await liveReview(maya, org.id, {
    title: `${SERIES}, this week`,
    series: SERIES,
    metricIds: portfolio.metricIds,
    initiativeIds: portfolio.initiativeIds,
  });
  const page = await maya.signIn();

  await page.goto(`/reviews/${demo.id}`);
  const card = await expectFuelTriageOnTop(page);
  await expect(card.getByTestId('triage-now')).toHaveCount(0);

  // A second person is in the room when a data source pushes a bad latency number.
  const it = await org.person('Jonas Lindqvist').signIn();
  await it.goto(`/reviews/${demo.id}`);
  await expect(it.getByTestId('agenda-item').first()).toContainText('Fleet fuel cost savings');

  const latency = portfolio.metrics[LATENCY]!;
  const reading = await page.request.post(`/api/metrics/${latency.id}/readings`, {
    data: { value: 2400, source: 'e2e-triage' },
    headers,
  });
  expect(reading.ok()).toBe(true);
  for (const viewer of [page, it]) {
    await expect(viewer.getByTestId('pivot-toast')).toContainText('Agenda pivoted: Dispatch API p95 latency (ms)');
    await expect(viewer.getByTestId('agenda-item').filter({ hasText: 'Dispatch API p95 latency (ms)' })).toContainText(
      'Triage',
    );
  }

  // The facilitator takes the room into triage.
  await page.getByRole('button', { name: 'Go to triage now' }).click();
  await expect(page.getByRole('list', { name: 'Phases' }).getByText('Triage')).toHaveAttribute('aria-current', 'step');
  await expect(it.getByRole('list', { name: 'Phases' }).getByText('Triage')).toHaveAttribute('aria-current', 'step');
  await it.context().close();

  // Fuel savings recover (the target reached early): the card keeps why it pivoted and tells where it stands now,
  // and so do the minutes (issue 19: the reason used to read "-1% behind plan").
  const fuel = portfolio.metrics[FUEL]!;
  const recovery = await page.request.post(`/api/metrics/${fuel.id}/readings`, {
    data: { value: fuel.target, source: 'e2e-triage' },
    headers,
  });
  expect(recovery.ok()).toBe(true);
  await page.getByTestId('agenda-item').first().click();
  await expect(card).toContainText('Fleet fuel cost savings 18% behind plan (threshold 15%)');
  await expect(card.getByTestId('triage-now')).toHaveText(/^Now: Fleet fuel cost savings now \d+% ahead of plan$/);
  await page.goto(`/reviews/${demo.id}/minutes`);
  const pivot = page.getByRole('listitem').filter({ hasText: 'Fleet fuel cost savings 18% behind plan' });
  await expect(pivot.getByTestId('pivot-now')).toHaveText(/^Now: Fleet fuel cost savings now \d+% ahead of plan$/);
});
