// The review itself changes while people are in the room (it goes live, is renamed, closes): everyone already
// there sees it at once, without reloading the page. Each journey runs in an organization of its own.
import { expect, test } from './support/org.ts';
import { seedFreightPortfolio } from './support/portfolio.ts';

test('going live, a new title and the close reach people already in the room', async ({ baseURL, newOrganization }) => {
  const org = await newOrganization({ people: ['Maya Okafor', 'Sofia Brandt'] });
  const facilitator = await org.person('Maya Okafor').signIn();
  const owner = await org.person('Sofia Brandt').signIn();
  const headers = { origin: baseURL! };
  const orgId = org.id;
  const title = `Live state ${Date.now()}`;
  const created = await facilitator.request.post(`/api/orgs/${orgId}/reviews`, {
    data: { title },
    headers,
  });
  expect(created.status()).toBe(201);
  const { review } = await created.json();

  await facilitator.goto(`/reviews/${review.id}`);
  await owner.goto(`/reviews/${review.id}`);
  for (const page of [facilitator, owner]) {
    await expect(page.getByTestId('review-status')).toHaveText('scheduled');
    await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  }

  await facilitator.getByRole('button', { name: 'Start review' }).click();
  await expect(facilitator.getByTestId('review-status')).toHaveText('live');
  await expect(owner.getByTestId('review-status')).toHaveText('live');

  const renamed = await facilitator.request.patch(`/api/reviews/${review.id}`, {
    data: { title: `${title}, moved` },
    headers,
  });
  expect(renamed.status()).toBe(200);
  await expect(owner.getByRole('heading', { level: 1 })).toHaveText(`${title}, moved`);

  await facilitator.getByRole('button', { name: 'Close review' }).click();
  await facilitator.getByRole('alertdialog').getByRole('button', { name: 'Close review' }).click();
  await expect(owner.getByTestId('review-status')).toHaveText('closed');
  await owner.screenshot({ path: test.info().outputPath('owner-after-close.png') });
});

test('a paste beyond what one person may send a minute is undone, and the room says why', async ({
  baseURL,
  newOrganization,
}) => {
  const org = await newOrganization({ people: ['Maya Okafor', 'Sofia Brandt'] });
  await seedFreightPortfolio(org);
  const owner = await org.person('Sofia Brandt').signIn();
  const orgId = org.id;
  const { metrics } = await (await owner.request.get(`/api/orgs/${orgId}/metrics`)).json();
  const created = await owner.request.post(`/api/orgs/${orgId}/reviews`, {
    data: { title: `Quota ${Date.now()}`, metricIds: [metrics[0].id] },
    headers: { origin: baseURL! },
  });
  const { review } = await created.json();
  await owner.goto(`/reviews/${review.id}`);
  await expect(owner.getByTestId('save-state')).toHaveText('All changes saved');
  const notes = owner.getByTestId('notes-editor').locator('.cm-content');
  await notes.click();
  // Three pastes of 900 KB (each under the 1 MiB frame limit): the third passes the 2 MB one connection may send
  // a minute.
  for (const letter of ['x', 'y', 'z']) await owner.keyboard.insertText(letter.repeat(900_000));
  await expect(owner.getByTestId('board-notice')).toContainText('was not saved and has been removed from the board');
  await expect(notes).not.toContainText('zzzzzzzzzz');
  await owner.screenshot({ path: test.info().outputPath('quota-notice.png') });
  await owner.getByTestId('board-notice').getByRole('button', { name: 'Dismiss' }).click();
  await expect(owner.getByTestId('board-notice')).toBeHidden();
});
