// Minutes, recap and sharing: the facilitator closes a live review and everyone in the room is told the minutes are
// ready; the minutes link each decision to its moment in the replay; a share link opens the minutes and the replay
// for someone without an account.
// Runs in an organization of its own with the demo's portfolio and people, so the demo's reviews stay as seeded.
import { expect, test } from './support/org.ts';
import { FUEL, seedFreightPortfolio } from './support/portfolio.ts';
import { inDays, liveReview, recordAction } from './support/reviews.ts';

test('closing a review shows its minutes to the room, and a share link opens them without an account', async ({
  browser,
  newOrganization,
}) => {
  const org = await newOrganization({ people: ['Maya Okafor', 'Priya Raman'] });
  const portfolio = await seedFreightPortfolio(org);
  const maya = org.person('Maya Okafor');
  const facilitator = await maya.signIn();
  const owner = await org.person('Priya Raman').signIn();
  const title = `Fuel review ${Date.now()}`;
  const review = await liveReview(maya, org.id, { title, metricIds: [portfolio.metrics[FUEL]!.id] });
  const decision = `Renegotiate the fuel card ${Date.now()}`;
  await recordAction(maya, review.id, { title: decision, ownerId: org.idOf('Priya Raman'), dueDate: inDays(14) });

  await facilitator.goto(`/reviews/${review.id}`);
  await owner.goto(`/reviews/${review.id}`);
  await expect(owner.locator('#item-title')).toBeVisible();
  await facilitator.getByRole('button', { name: 'Close review' }).click();
  await facilitator.getByRole('alertdialog').getByRole('button', { name: 'Close review' }).click();

  // Everyone in the room is told, and the closed room keeps the links.
  for (const page of [owner, facilitator]) {
    const recap = page.getByTestId('recap-dialog');
    await expect(recap).toContainText('minutes are ready');
    await expect(recap).toContainText('1 decision recorded');
  }
  await owner.getByTestId('recap-minutes-link').click();
  await expect(owner.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(owner.getByTestId('minutes-decision').filter({ hasText: decision })).toContainText('Priya Raman');
  await expect(owner.getByTestId('download-markdown')).toHaveAttribute('href', `/api/reviews/${review.id}/minutes.md`);
  // Owners read the minutes; sharing is for the facilitator.
  await expect(owner.getByRole('button', { name: 'Share', exact: true })).toHaveCount(0);
  await expect(owner.getByRole('button', { name: 'Create link' })).toHaveCount(0);
  const replayLink = owner.getByTestId('decision-replay-link').first();
  await expect(replayLink).toHaveAttribute('href', new RegExp(`^/reviews/${review.id}/replay\\?at=\\d+$`));

  await facilitator.getByTestId('recap-minutes-link').click();
  // Sharing sits at the top, before the minutes themselves, and opens the share panel there.
  const share = facilitator.getByRole('button', { name: 'Share', exact: true });
  await expect(share).toHaveAttribute('aria-expanded', 'false');
  await share.focus();
  await facilitator.keyboard.press('Enter');
  await expect(share).toHaveAttribute('aria-expanded', 'true');
  await facilitator.keyboard.press('Tab');
  await expect(facilitator.getByLabel('Expires after')).toBeFocused();
  const panel = facilitator.locator('#share-panel');
  const minutesDocument = facilitator.getByTestId('minutes-document');
  await expect(panel.getByRole('button', { name: 'Create link' })).toBeVisible();
  const [shareBox, panelBox, documentBox] = await Promise.all(
    [share, panel, minutesDocument].map((locator) => locator.boundingBox()),
  );
  expect(shareBox!.y + shareBox!.height).toBeLessThanOrEqual(documentBox!.y);
  expect(panelBox!.y + panelBox!.height).toBeLessThanOrEqual(documentBox!.y);
  // And first in reading order too (what a screen reader or the Tab key meets).
  const shareFirst = await facilitator.evaluate(() => {
    const [toggle, doc] = ['share-toggle', 'minutes-document'].map((id) =>
      document.querySelector(`[data-testid=${id}]`),
    );
    return Boolean(toggle && doc && toggle.compareDocumentPosition(doc) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  expect(shareFirst).toBe(true);
  await facilitator.getByRole('button', { name: 'Create link' }).click();
  const url = await facilitator.getByTestId('share-created').locator('input').inputValue();
  expect(url).toMatch(/\/shared\/[a-z2-7]{32}$/);
  await expect(facilitator.getByTestId('share-list')).toContainText('active');

  // A stakeholder without an account.
  const guest = await (await browser.newContext()).newPage();
  await guest.goto(url);
  await expect(guest.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(guest.getByTestId('minutes-decision').filter({ hasText: decision })).toBeVisible();
  await guest.getByTestId('shared-replay-link').click();
  await expect(guest.getByText(title).first()).toBeVisible();
  await expect(guest).toHaveURL(/\/shared\/[a-z2-7]{32}\/replay/);

  // Revoked: the link stops working.
  await facilitator.getByRole('button', { name: 'Revoke' }).click();
  await expect(facilitator.getByTestId('share-list')).toContainText('revoked');
  await guest.goto(url);
  await expect(guest.getByRole('alert')).toContainText('does not work');
});
