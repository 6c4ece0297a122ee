// A participant on a 390 px phone (the `phone` project: touch, mobile viewport) follows the live weekly review,
// votes on an agenda item and commits to a decision, and no page on the way scrolls sideways or puts the
// account menu off the screen. In an organization of its own with the demo's portfolio, its weekly review live and
// last week's held, so the demo's votes and decisions stay as seeded.
import type { Page } from '@playwright/test';
import { expect, PASSWORD, test } from './support/org.ts';
import { seedFreightPortfolio } from './support/portfolio.ts';
import { createReview, heldPastReview, SERIES, startReview } from './support/reviews.ts';

/** Nothing wider than the screen: the page cannot be dragged sideways. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  const width = page.viewportSize()!.width;
  const measured = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  // On a phone the browser widens the layout viewport to fit content that sticks out, so the check is against
  // the screen's width as well as window.innerWidth.
  expect(
    measured.scrollWidth,
    `${what} is ${measured.scrollWidth} px wide on a ${width} px screen`,
  ).toBeLessThanOrEqual(Math.min(width, measured.innerWidth));
}

async function expectOnScreen(page: Page, box: { x: number; y: number; width: number; height: number } | null) {
  const { width, height } = page.viewportSize()!;
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(width);
  expect(box!.y + box!.height).toBeLessThanOrEqual(height);
}

test('on a phone, the facilitator follows the live review, votes and commits', async ({ page, newOrganization }) => {
  const org = await newOrganization({ people: ['Maya Okafor'] });
  const portfolio = await seedFreightPortfolio(org);
  const maya = org.person('Maya Okafor');
  await heldPastReview(org, portfolio);
  const thisWeek = await createReview(maya, org.id, {
    title: `${SERIES}, this week`,
    series: SERIES,
    metricIds: portfolio.metricIds,
    initiativeIds: portfolio.initiativeIds,
  });
  await startReview(maya, thisWeek.id);
  await page.goto('/');
  await expectNoSidewaysScroll(page, 'the login page');
  await page.getByLabel('Email').fill(maya.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: org.name })).toBeVisible();
  await expectNoSidewaysScroll(page, 'the portfolio');

  // The account menu opens fully on the screen.
  await page.getByTestId('account-menu').tap();
  const signOutEverywhere = page.getByRole('button', { name: 'Sign out everywhere' });
  await expect(signOutEverywhere).toBeVisible();
  await expectOnScreen(page, await page.getByTestId('account-menu-panel').boundingBox());
  await page.getByTestId('account-menu').tap();
  await expect(signOutEverywhere).toBeHidden();

  // The portfolio's rows keep their names on one line: a metric's name is not squeezed into a narrow column.
  const fuel = page.getByRole('link', { name: 'Fleet fuel cost savings', exact: true }).first();
  const nameBox = await fuel.boundingBox();
  expect(nameBox!.width, 'the metric name has room').toBeGreaterThan(150);

  // Into the live weekly review, from the reviews list.
  await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Reviews' }).tap();
  await expect(page.getByRole('heading', { name: 'Live and upcoming' })).toBeVisible();
  await expectNoSidewaysScroll(page, 'the reviews list');
  await page
    .getByRole('link', { name: /^live Weekly ops review, / })
    .first()
    .tap();
  await expect(page.locator('#item-title')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  await expectNoSidewaysScroll(page, 'the review room');

  // A vote on an agenda item, by touch.
  const votesLeft = page.getByTestId('votes-left');
  const before = Number((await votesLeft.innerText()).split(' ')[0]);
  const item = page.getByTestId('agenda-item').filter({ hasText: 'Median last-mile delivery time' });
  await item.getByRole('button', { name: /^Vote for / }).tap();
  await expect(votesLeft).toHaveText(new RegExp(`^${before - 1} of `));
  await expect(item.getByTestId('vote-total')).toHaveText(/^\d+\svotes?$/);
  await expectNoSidewaysScroll(page, 'the review room after voting');

  // A decision the facilitator owns herself, drafted and recorded on the phone, then committed to.
  await page.getByRole('button', { name: '+ Draft a decision' }).tap();
  const title = `Phone check of the fuel plan ${Date.now()}`;
  await page.getByLabel('Decision', { exact: true }).fill(title);
  await page.getByLabel('Accountable owner').selectOption({ label: 'Maya Okafor' });
  await expectNoSidewaysScroll(page, 'the decision form');
  await page.getByRole('button', { name: 'Record', exact: true }).tap();
  const decision = page.getByTestId('decision').filter({ hasText: title });
  await expect(decision.getByTestId('decision-status')).toHaveText('proposed');
  await decision.getByRole('button', { name: 'I commit' }).tap();
  await expect(decision.getByTestId('decision-status')).toHaveText('committed');
  await expectNoSidewaysScroll(page, 'the review room with a committed decision');

  // Her commitments list has it, and the other pages she may open on the way fit the screen too.
  await page.getByRole('link', { name: 'My commitments' }).tap();
  await expect(page.getByText(title)).toBeVisible();
  await expectNoSidewaysScroll(page, 'my commitments');
  const me = await (await page.request.get('/api/me')).json();
  const orgId = me.organizations[0].id as string;
  const { metrics } = await (await page.request.get(`/api/orgs/${orgId}/metrics`)).json();
  const { initiatives } = await (await page.request.get(`/api/orgs/${orgId}/initiatives`)).json();
  const { reviews } = await (await page.request.get(`/api/orgs/${orgId}/reviews`)).json();
  const closed = reviews.find((r: { status: string }) => r.status === 'closed');
  const others: [string, string][] = [
    ['the metric page', `/orgs/${orgId}/metrics/${metrics[0].id}`],
    ['the initiative page', `/orgs/${orgId}/initiatives/${initiatives[0].id}`],
    ['the action items', `/orgs/${orgId}/actions`],
    ['the dependency map', `/orgs/${orgId}/map`],
    ['the members', `/orgs/${orgId}/members`],
    ['the API tokens', `/orgs/${orgId}/tokens`],
    ['the minutes', `/reviews/${closed.id}/minutes`],
    ['the replay', `/reviews/${closed.id}/replay`],
  ];
  for (const [what, path] of others) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    await expectNoSidewaysScroll(page, what);
  }
});
