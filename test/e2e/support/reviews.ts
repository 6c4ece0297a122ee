// Reviews in a spec's own organization, made through the public API as the app's people would: scheduled, started,
// decisions recorded, closed; and a past review of the weekly series held with its facilitator in the room, so
// replay, minutes and the next review's commitments check have something real to show.
import type { Page } from '@playwright/test';
import { expect, type Organization, type Person } from './org.ts';
import { FUEL, type FreightPortfolio } from './portfolio.ts';

export const SERIES = 'Weekly ops review';

export interface Review {
  id: string;
  title: string;
}

export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export async function createReview(as: Person, orgId: string, data: Record<string, unknown>): Promise<Review> {
  const created = await as.api.post(`/api/orgs/${orgId}/reviews`, { data });
  expect(created.status(), await created.text()).toBe(201);
  return ((await created.json()) as { review: Review }).review;
}

export async function startReview(as: Person, reviewId: string) {
  const started = await as.api.post(`/api/reviews/${reviewId}/start`);
  expect(started.status(), await started.text()).toBe(200);
}

/** A review created and started by `as`, who facilitates it. */
export async function liveReview(as: Person, orgId: string, data: Record<string, unknown>): Promise<Review> {
  const review = await createReview(as, orgId, data);
  await startReview(as, review.id);
  return review;
}

/** Records a decision as an action item of the review; returns its id. */
export async function recordAction(
  as: Person,
  reviewId: string,
  data: { title: string; ownerId: string; dueDate: string } & Record<string, unknown>,
): Promise<string> {
  const id = crypto.randomUUID();
  const recorded = await as.api.post(`/api/reviews/${reviewId}/actions`, { data: { id, ...data } });
  expect(recorded.status(), await recorded.text()).toBe(201);
  return id;
}

export async function closeReview(as: Person, reviewId: string) {
  const closed = await as.api.post(`/api/reviews/${reviewId}/close`);
  expect(closed.status(), await closed.text()).toBe(200);
}

/**
 * Last week's review of the series, held: everything in scope, the admin facilitating and in the room (so the
 * replay shows who was there) when it goes live and pivots to the fuel savings triage, three decisions recorded
 * and the review closed with its minutes.
 */
export async function heldPastReview(org: Organization, portfolio: FreightPortfolio): Promise<Review> {
  const facilitator = org.people[0]!;
  const owner = (name: string) => (org.people.find((p) => p.name === name) ?? facilitator).id;
  const review = await createReview(facilitator, org.id, {
    title: `${SERIES}, last week`,
    series: SERIES,
    metricIds: portfolio.metricIds,
    initiativeIds: portfolio.initiativeIds,
  });
  const room = await facilitator.signIn();
  await room.goto(`/reviews/${review.id}`);
  await expect(room.getByTestId('save-state')).toHaveText('All changes saved');
  await startReview(facilitator, review.id);
  await expect(room.getByTestId('review-status')).toHaveText('live');
  await expect(room.getByTestId('agenda-item').first()).toContainText(FUEL);
  const fuel = portfolio.metrics[FUEL]!.id;
  for (const [title, ownerName, due] of [
    ['Renegotiate the fuel card contract', 'Sofia Brandt', 7],
    ['Eco-driving training for the north region drivers', 'Priya Raman', 21],
    ['Load-test the dispatch API before the holiday peak', 'Jonas Lindqvist', 14],
  ] as const) {
    // Paced like a meeting, not a script: the replay shows each moment a little after it happened (SETTLE_MS,
    // 1 s), so moments closer together than that would fall on one point of the timeline.
    await room.waitForTimeout(1_200);
    await recordAction(facilitator, review.id, {
      title,
      ownerId: owner(ownerName),
      dueDate: inDays(due),
      metricId: fuel,
    });
  }
  await room.waitForTimeout(1_200);
  await closeReview(facilitator, review.id);
  await expect(room.getByTestId('review-status')).toHaveText('closed');
  await room.context().close();
  return review;
}

/** The room opened on the fuel savings pivot: first on the agenda, its card saying why and what is at stake. */
export async function expectFuelTriageOnTop(page: Page) {
  const first = page.getByTestId('agenda-item').first();
  await expect(first).toContainText('Fleet fuel cost savings');
  await expect(first).toContainText('Triage');
  const card = page.getByTestId('triage-card');
  await expect(card).toContainText('Fleet fuel cost savings 18% behind plan (threshold 15%)');
  await expect(card.getByTestId('triage-impact')).toContainText('Fleet fuel cost savings');
  await expect(page.getByTestId('pivot-banner')).toContainText('Agenda pivoted');
  return card;
}
