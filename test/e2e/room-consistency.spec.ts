// The room never contradicts itself (issue 27): the home shows a review going live; the phase bar, the agenda's
// "now" and the pivot banner tell one story as the facilitator moves; each person has a color of their own;
// closing asks first, and a closed review marks nothing "now" and shows its figures as they were at the close.
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { expect, test } from './support/org.ts';

/** A new account of its own, so no other journey's data (nor this one's) changes what the demo shows. */
async function signUp(browser: Browser, baseURL: string, name: string): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const response = await context.request.post('/api/auth/signup', {
    data: {
      email: `${name.split(' ')[0]!.toLowerCase()}.${Date.now()}@consistency.example`,
      password: 'a long pass phrase for the review room 27',
      name,
    },
    headers: { origin: baseURL },
  });
  expect(response.status()).toBe(201);
  return context.newPage();
}

const DAY_MS = 86_400_000;

/** A metric of the organization with one reading, `value` percent of the way where the plan expects half. */
async function metricWithReading(
  request: APIRequestContext,
  origin: string,
  orgId: string,
  name: string,
  value: number,
) {
  const me = await (await request.get('/api/me')).json();
  const now = Date.now();
  const created = await request.post(`/api/orgs/${orgId}/metrics`, {
    data: {
      name,
      unit: 'percent',
      direction: 'higher',
      baseline: 0,
      target: 100,
      startAt: new Date(now - 10 * DAY_MS).toISOString(),
      targetAt: new Date(now + 10 * DAY_MS).toISOString(),
      ownerId: me.user.id,
    },
    headers: { origin },
  });
  expect(created.status()).toBe(201);
  const { metric } = await created.json();
  const reading = await request.post(`/api/metrics/${metric.id}/readings`, {
    data: { value, at: new Date(now - 60_000).toISOString(), source: 'e2e-consistency' },
    headers: { origin },
  });
  expect(reading.ok()).toBe(true);
  return metric.id as string;
}

const phases = (page: Page) => page.getByRole('list', { name: 'Phases' });
const nowMarkers = (page: Page) => page.getByTestId('now-marker');
const agendaItem = (page: Page, title: string) => page.getByTestId('agenda-item').filter({ hasText: title });

test('the room tells one story from going live to the close', async ({ browser, baseURL }) => {
  const origin = baseURL!;
  const facilitator = await signUp(browser, origin, 'Mona Osei');
  const owner = await signUp(browser, origin, 'Marc Costa');

  // An organization of its own, so no other journey's readings change what this one sees.
  const org = await (
    await facilitator.request.post('/api/orgs', { data: { name: `Consistency ${Date.now()}` }, headers: { origin } })
  ).json();
  const orgId = (org.organization?.id ?? org.id) as string;
  const invite = await (
    await facilitator.request.post(`/api/orgs/${orgId}/invites`, { data: {}, headers: { origin } })
  ).json();
  const token = new URL(invite.url).pathname.split('/').pop()!;
  expect((await owner.request.post(`/api/invites/${token}/accept`, { headers: { origin } })).ok()).toBe(true);

  const slipping = 'Parcel damage savings';
  const steady = 'Depot coverage';
  const slippingId = await metricWithReading(facilitator.request, origin, orgId, slipping, 10);
  const steadyId = await metricWithReading(facilitator.request, origin, orgId, steady, 50);
  const title = `Ops review ${Date.now()}`;
  const created = await facilitator.request.post(`/api/orgs/${orgId}/reviews`, {
    data: { title, metricIds: [slippingId, steadyId] },
    headers: { origin },
  });
  expect(created.status()).toBe(201);
  const { review } = await created.json();

  // The owner is on the organization's home; nothing is live yet.
  await owner.goto(`/orgs/${orgId}`);
  await expect(owner.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(owner.getByText('Live', { exact: true })).toBeVisible();
  await expect(owner.getByTestId('live-now')).toHaveCount(0);

  // The facilitator starts the review: the owner's home says so at once, without a reload.
  await facilitator.goto(`/reviews/${review.id}`);
  await expect(facilitator.getByTestId('save-state')).toHaveText('All changes saved');
  await facilitator.getByRole('button', { name: 'Start review' }).click();
  await expect(facilitator.getByTestId('review-status')).toHaveText('live');
  const join = owner.getByTestId('live-now').getByRole('link', { name: new RegExp(title) });
  await expect(join).toBeVisible();
  await expect(join).toContainText('Live now');
  await expect(join).toContainText('Join');
  await owner.screenshot({ path: test.info().outputPath('home-live-now.png') });
  await join.click();
  await expect(owner).toHaveURL(new RegExp(`/reviews/${review.id}$`));

  // Two people in the room, each in a color of their own.
  for (const page of [facilitator, owner]) await expect(page.getByTestId('presence')).toHaveCount(2);
  const colors = await facilitator
    .getByTestId('presence')
    .evaluateAll((avatars) => avatars.map((avatar) => getComputedStyle(avatar).backgroundColor));
  expect(new Set(colors).size, `avatar colors ${colors.join(', ')}`).toBe(2);
  expect(
    await owner
      .getByTestId('presence')
      .evaluateAll((avatars) => avatars.map((a) => getComputedStyle(a).backgroundColor)),
  ).toEqual(expect.arrayContaining(colors));

  // Going live pivoted the slipping metric. In check-in the room is on no item yet: the banner offers triage and
  // nothing in the agenda is marked "now".
  await expect(facilitator.getByTestId('pivot-banner')).toBeVisible();
  await expect(facilitator.getByRole('button', { name: 'Go to triage now' })).toBeVisible();
  for (const page of [facilitator, owner]) {
    await expect(phases(page).getByText('Check-in')).toHaveAttribute('aria-current', 'step');
    await expect(nowMarkers(page)).toHaveCount(0);
  }
  await facilitator.screenshot({ path: test.info().outputPath('check-in-with-pivot.png') });

  // Into triage: the phase bar, the agenda and the banner agree, for both.
  await facilitator.getByRole('button', { name: 'Go to triage now' }).click();
  for (const page of [facilitator, owner]) {
    await expect(phases(page).getByText('Triage')).toHaveAttribute('aria-current', 'step');
    await expect(nowMarkers(page)).toHaveCount(1);
    await expect(agendaItem(page, slipping).getByTestId('now-marker')).toBeVisible();
    await expect(page.getByTestId('pivot-banner')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Go to triage now' })).toHaveCount(0);
  }

  // The facilitator takes the room to the steady metric: the phase follows, for both.
  await agendaItem(facilitator, steady).getByRole('button').first().click();
  await facilitator.getByRole('button', { name: 'Go to this item' }).click();
  for (const page of [facilitator, owner]) {
    await expect(phases(page).getByText('Metrics')).toHaveAttribute('aria-current', 'step');
    await expect(nowMarkers(page)).toHaveCount(1);
    await expect(agendaItem(page, steady).getByTestId('now-marker')).toBeVisible();
  }
  // Back in metrics with the pivot still open, the banner offers triage again.
  await expect(facilitator.getByRole('button', { name: 'Go to triage now' })).toBeVisible();

  // Wrap-up: the pivot is not offered any more, and no item is "now".
  await facilitator.getByRole('button', { name: 'Wrap-up' }).click();
  for (const page of [facilitator, owner]) {
    await expect(phases(page).getByText('Wrap-up')).toHaveAttribute('aria-current', 'step');
    await expect(page.getByTestId('pivot-banner')).toHaveCount(0);
    await expect(nowMarkers(page)).toHaveCount(0);
  }
  await expect(facilitator.getByRole('button', { name: 'Go to triage now' })).toHaveCount(0);

  // Closing asks first; cancelling keeps the review live.
  const close = facilitator
    .getByRole('group', { name: 'End the review' })
    .getByRole('button', { name: 'Close review' });
  await expect(facilitator.getByRole('group', { name: 'Run the room' })).not.toContainText('Close review');
  await close.click();
  const dialog = facilitator.getByRole('alertdialog');
  await expect(dialog).toContainText('Close this review?');
  await facilitator.screenshot({ path: test.info().outputPath('close-confirm.png') });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(facilitator.getByTestId('review-status')).toHaveText('live');
  await close.click();
  await dialog.getByRole('button', { name: 'Close review' }).click();

  // A closed review marks nothing "now" and shows the figures as they were at the close.
  for (const page of [facilitator, owner]) {
    await expect(page.getByTestId('review-status')).toHaveText('closed');
    await expect(nowMarkers(page)).toHaveCount(0);
    await expect(page.getByTestId('room-is-here')).toHaveCount(0);
    await expect(page.getByTestId('pivot-banner')).toHaveCount(0);
    await expect(page.getByRole('list', { name: 'Phases' }).locator('[aria-current]')).toHaveCount(0);
  }
  // The minutes are ready: the owner stays on the board to look back.
  await owner.getByRole('button', { name: 'Stay on the board' }).click();
  await agendaItem(owner, steady).getByRole('button').first().click();
  await expect(owner.getByTestId('figures-when')).toContainText('Figures at the close');
  await owner.screenshot({ path: test.info().outputPath('closed-room.png') });

  // The home does not offer the closed review any more.
  await owner.goto(`/orgs/${orgId}`);
  await expect(owner.getByText('Live', { exact: true })).toBeVisible();
  await expect(owner.getByTestId('live-now')).toHaveCount(0);
});
