// Two people in two browsers run a review together: they see each other, type in the same notes, the
// facilitator's "follow me" moves the other's view, and an offline spell loses nothing.
// Runs in an organization of its own with the demo's portfolio and people, so the demo's reviews stay as seeded.
import type { Page } from '@playwright/test';
import { expect, test } from './support/org.ts';
import { seedFreightPortfolio } from './support/portfolio.ts';
import { createReview } from './support/reviews.ts';

const notes = (page: Page) => page.getByTestId('notes-editor').locator('.cm-content');
/** The notes as text, without the other people's cursor labels drawn inside them. */
const plainNotes = (page: Page) =>
  notes(page).evaluate((content) => {
    const copy = content.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.cm-ySelectionCaret, .cm-widgetBuffer').forEach((caret) => caret.remove());
    return Array.from(copy.querySelectorAll('.cm-line'), (line) => line.textContent).join('\n');
  });
const itemTitle = (page: Page) => page.locator('#item-title');
const agendaItem = (page: Page, title: string) =>
  page.getByTestId('agenda-item').filter({ hasText: title }).getByRole('button').first();

test('facilitator and owner run a review together', async ({ newOrganization }) => {
  const org = await newOrganization({ people: ['Maya Okafor', 'Sofia Brandt'] });
  const portfolio = await seedFreightPortfolio(org);
  const maya = org.person('Maya Okafor');
  const facilitator = await maya.signIn();
  const owner = await org.person('Sofia Brandt').signIn();

  // A fresh review of everything in the portfolio, scheduled by the VP.
  const metrics = portfolio.metricIds;
  const review = await createReview(maya, org.id, { title: `Room test ${Date.now()}`, metricIds: metrics });

  await facilitator.goto(`/reviews/${review.id}`);
  await owner.goto(`/reviews/${review.id}`);
  // Both open on the room's current item: the first of the agenda, the worst status.
  await expect(facilitator.getByTestId('agenda-item')).toHaveCount(metrics.length);
  const start = await itemTitle(facilitator).innerText();
  await expect(facilitator.getByTestId('agenda-item').first()).toContainText(start);
  for (const page of [facilitator, owner]) {
    await expect(itemTitle(page)).toHaveText(start);
    await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  }
  const [lead, elsewhere] = [
    'Depots with handheld scanners',
    'Median last-mile delivery time',
    'Fleet fuel cost savings',
  ].filter((title) => title !== start) as [string, string];
  // Each sees the other in the room.
  await expect(facilitator.getByTestId('presence')).toHaveCount(2);
  await expect(owner.getByTestId('presence')).toHaveCount(2);
  await expect(owner.getByRole('list', { name: 'In the room' })).toContainText('Maya Okafor');

  // Text typed in one browser appears in the other, and both can type in the same notes.
  await notes(facilitator).click();
  await facilitator.keyboard.type('Eco-driving pilot slipped two weeks.');
  await expect(notes(owner)).toContainText('Eco-driving pilot slipped two weeks.');
  await notes(owner).click();
  await owner.keyboard.press('Control+End');
  await owner.keyboard.type(' Finance: new plan by Friday.');
  await expect(notes(facilitator)).toContainText('Eco-driving pilot slipped two weeks. Finance: new plan by Friday.');
  await expect(facilitator.getByTestId('save-state')).toHaveText('All changes saved');

  // "Follow me": where the facilitator goes, the owner's view follows; the owner may look away and rejoin.
  await facilitator.getByRole('button', { name: 'Follow me' }).click();
  await expect(owner.getByText('Following Maya Okafor')).toBeVisible();
  await agendaItem(facilitator, lead).click();
  await expect(itemTitle(owner)).toHaveText(lead);
  await agendaItem(owner, elsewhere).click();
  await expect(itemTitle(owner)).toHaveText(elsewhere);
  await owner.getByRole('button', { name: 'Rejoin Maya Okafor' }).click();
  await expect(itemTitle(owner)).toHaveText(lead);

  // Reordering with the keyboard shows in the other browser; undo takes it back.
  const titlesOf = (page: Page) => page.getByTestId('agenda-item').locator('span.truncate').allInnerTexts();
  const order = await titlesOf(facilitator);
  const reordered = [...order.slice(0, -2), order.at(-1)!, order.at(-2)!];
  await agendaItem(facilitator, order.at(-1)!).focus();
  await facilitator.keyboard.press('Alt+ArrowUp');
  await expect.poll(() => titlesOf(owner)).toEqual(reordered);
  await facilitator.keyboard.press('Control+z');
  await expect.poll(() => titlesOf(owner)).toEqual(order);

  // The owner goes offline and keeps typing; the facilitator types too; back online, both converge.
  await owner.context().setOffline(true);
  await expect(owner.getByTestId('save-state')).toContainText('edits kept on this device');
  await notes(owner).click();
  await owner.keyboard.type('Written offline. ');
  await notes(facilitator).click();
  await facilitator.keyboard.type('Written online. ');
  await owner.context().setOffline(false);
  for (const page of [facilitator, owner]) {
    await expect(notes(page)).toContainText('Written offline.');
    await expect(notes(page)).toContainText('Written online.');
    await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  }
  await expect.poll(() => plainNotes(owner)).toBe(await plainNotes(facilitator));
});
