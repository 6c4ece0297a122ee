// Replaying last week's review of the weekly series: jump to the pivot and see the triage item, then to the end
// and see the board the review closed with (as the server rebuilds it from its log); a deep link opens at its
// moment. The review is held in an organization of the spec's own, with the demo's portfolio.
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import * as Y from 'yjs';
import { readAgenda } from '../../server/domain/board.ts';
import { test, type NewOrganization } from './support/org.ts';
import { seedFreightPortfolio } from './support/portfolio.ts';
import { heldPastReview } from './support/reviews.ts';

/** Maya's organization with last week's review held and closed, and Maya in a browser. */
async function pastReview(newOrganization: NewOrganization) {
  const org = await newOrganization({ people: ['Maya Okafor'] });
  const review = await heldPastReview(org, await seedFreightPortfolio(org));
  return { orgId: org.id, review, page: await org.person('Maya Okafor').signIn() };
}

/** The board the review closed with, as the server rebuilds it after the last update of its log. */
async function finalBoard(request: APIRequestContext, reviewId: string) {
  let afterSeq = 0;
  let last = 0;
  for (;;) {
    const page = await (
      await request.get(`/api/reviews/${reviewId}/history/updates?afterSeq=${afterSeq}&limit=5000`)
    ).json();
    last = page.updates.at(-1)?.seq ?? last;
    if (page.nextAfterSeq === null) break;
    afterSeq = page.nextAfterSeq;
  }
  const { state } = await (await request.get(`/api/reviews/${reviewId}/history/board?seq=${last}`)).json();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(Buffer.from(state, 'base64')));
  return { last, agenda: readAgenda(doc) };
}

const board = (page: Page) => page.getByTestId('replay-board');

test('a facilitator replays last week’s review: the pivot, then the board as it closed', async ({
  newOrganization,
}) => {
  const { orgId, review, page } = await pastReview(newOrganization);
  const final = await finalBoard(page.request, review.id);
  expect(final.agenda.some((item) => item.kind === 'triage')).toBe(true);

  // The reviews list links past reviews to their replay; the closed room does too.
  await page.goto(`/orgs/${orgId}/reviews`);
  await expect(page.getByRole('link', { name: `Replay ${review.title}` })).toHaveAttribute(
    'href',
    `/reviews/${review.id}/replay`,
  );
  await page.goto(`/reviews/${review.id}`);
  await page.getByRole('link', { name: 'Replay it' }).click();
  await expect(page).toHaveURL(new RegExp(`/reviews/${review.id}/replay`));
  await expect(page.getByTestId('replay-title')).toHaveText(review.title);
  await expect(board(page)).toHaveAttribute('data-shown-at', /\d+/);
  await expect(page.getByTestId('replay')).toHaveAttribute('data-applied', String(final.last));

  // At the start nothing has pivoted yet.
  await expect(page.getByTestId('replay-agenda-item').filter({ hasText: 'Triage' })).toHaveCount(0);

  // The pivot marker: the agenda shows the triage item and its card says why.
  const pivot = page.locator('[data-testid=replay-marker][data-kind=pivot]').first();
  await expect(pivot).toHaveAccessibleName(/^Pivot at .*behind plan/);
  await pivot.click();
  const triageItem = page.getByTestId('replay-agenda-item').filter({ hasText: 'Triage' });
  await expect(triageItem).toHaveCount(1);
  await expect(triageItem).toContainText('Fleet fuel cost savings');
  await expect(page.getByTestId('replay-triage')).toContainText('behind plan');
  await expect(page.getByTestId('replay-present')).toContainText('Maya Okafor');
  // The address keeps the moment.
  const pivotMoment = await board(page).getAttribute('data-shown-at');
  await expect(page).toHaveURL(new RegExp(`[?&]at=${pivotMoment}$`));
  const pivotUrl = page.url();

  // Markers by keyboard: the next one after the pivot is later on the timeline. Compared by the shown moment in
  // milliseconds: a review held in seconds can have both markers within the same second of the m:ss display.
  await page.keyboard.press(']');
  await expect(board(page)).not.toHaveAttribute('data-shown-at', pivotMoment!);
  expect(Number(await board(page).getAttribute('data-shown-at'))).toBeGreaterThan(Number(pivotMoment));

  // Play a moment at 16×, pause with Space.
  await page.getByRole('button', { name: '16×' }).click();
  await page.getByTestId('replay-play').click();
  await expect(page.getByTestId('replay-play')).toHaveText(/Pause/);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('replay-play')).toHaveText(/Play/);

  // The end: the board equals the one the review closed with.
  await page.keyboard.press('End');
  await expect(board(page)).toHaveAttribute('data-count', String(final.last));
  await expect(page.getByTestId('replay-agenda-title')).toHaveText(final.agenda.map((item) => item.title));
  for (const [index, item] of final.agenda.entries()) {
    await page.getByTestId('replay-agenda-item').nth(index).getByRole('button').click();
    await expect(page.locator('#replay-item-title')).toHaveText(item.title);
    await expect(page.getByTestId('replay-notes')).toHaveText(item.notes || 'No notes yet at this moment.');
    await expect(page.getByTestId('replay-decision')).toHaveCount(item.decisions.length);
    for (const decision of item.decisions) {
      await expect(page.getByTestId('replay-decision').filter({ hasText: decision.title })).toContainText(
        decision.status ?? 'draft',
      );
    }
  }

  // A deep link opens at its moment.
  await page.goto(pivotUrl);
  await expect(page.getByTestId('replay-agenda-item').filter({ hasText: 'Triage' })).toHaveCount(1);
});

test('a review that never started has nothing to replay', async ({ baseURL, newOrganization }) => {
  const org = await newOrganization({ people: ['Maya Okafor'] });
  const page = await org.person('Maya Okafor').signIn();
  const orgId = org.id;
  const created = await page.request.post(`/api/orgs/${orgId}/reviews`, {
    data: { title: 'Replay e2e: not held yet', scheduledAt: new Date(Date.now() + 86_400_000).toISOString() },
    headers: { origin: baseURL! },
  });
  expect(created.ok()).toBe(true);
  const { review } = await created.json();
  await page.goto(`/reviews/${review.id}/replay`);
  await expect(page.getByText('This review never started')).toBeVisible();
});
