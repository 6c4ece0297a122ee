// The room decides, one person is accountable: the facilitator records a decision owned by a regional manager,
// who sees it arrive in her own browser and commits; both see "committed"; it is on her list of commitments,
// and the series' next review brings it back in its commitments check, where ticking it done sticks. There the box
// is offered only to whom the server lets mark it done, and says why to the others.
// Runs in an organization of its own with the demo's portfolio and people, so the demo's reviews stay as seeded.
import type { Page } from '@playwright/test';
import { expect, test, type Person } from './support/org.ts';
import { FUEL, seedFreightPortfolio } from './support/portfolio.ts';
import { inDays, liveReview as startLive, recordAction, SERIES } from './support/reviews.ts';

const decision = (page: Page, title: string) => page.getByTestId('decision').filter({ hasText: title });

test('a decision recorded in the room is committed to by its owner and followed up at the next review', async ({
  newOrganization,
}) => {
  const org = await newOrganization({ people: ['Maya Okafor', 'Priya Raman'] });
  const portfolio = await seedFreightPortfolio(org);
  const maya = org.person('Maya Okafor');
  const facilitator = await maya.signIn();
  const owner = await org.person('Priya Raman').signIn();
  const liveReview = async (title: string) =>
    (await startLive(maya, org.id, { title, series: SERIES, metricIds: [portfolio.metrics[FUEL]!.id] })).id;

  const reviewId = await liveReview(`Fuel deep dive ${Date.now()}`);
  await facilitator.goto(`/reviews/${reviewId}`);
  await owner.goto(`/reviews/${reviewId}`);
  await expect(facilitator.locator('#item-title')).toHaveText('Fleet fuel cost savings');
  await expect(owner.locator('#item-title')).toHaveText('Fleet fuel cost savings');

  // The facilitator drafts the decision on the board and records it.
  const title = `Eco-driving pilot in the north ${Date.now()}`;
  await facilitator.getByRole('button', { name: '+ Draft a decision' }).click();
  const titleField = facilitator.getByLabel('Decision', { exact: true });
  await expect(titleField).toBeFocused();
  await titleField.fill(title);
  await facilitator.getByLabel('Accountable owner').selectOption({ label: 'Priya Raman' });
  // The owner watches the draft take shape.
  await expect(owner.getByLabel('Decision', { exact: true })).toHaveValue(title);
  await facilitator.getByRole('button', { name: 'Record', exact: true }).click();

  // Recorded for everyone; only the owner is asked to commit.
  for (const page of [facilitator, owner]) {
    await expect(decision(page, title).getByTestId('decision-status')).toHaveText('proposed');
  }
  await expect(decision(facilitator, title)).toContainText('Waiting for Priya Raman to commit.');
  await expect(decision(facilitator, title).getByRole('button', { name: 'I commit' })).toHaveCount(0);
  await decision(owner, title).getByRole('button', { name: 'I commit' }).click();
  for (const page of [facilitator, owner]) {
    await expect(decision(page, title).getByTestId('decision-status')).toHaveText('committed');
  }

  // Stored in PostgreSQL with the owner's commitment.
  const { actions } = await (await owner.request.get('/api/me/actions')).json();
  const stored = actions.find((a: { title: string }) => a.title === title);
  expect(stored).toMatchObject({ status: 'committed', owner: { name: 'Priya Raman' } });
  expect(stored.committedAt).not.toBeNull();

  // Her own list of commitments has it.
  await owner.goto('/commitments');
  await expect(owner.getByText(title)).toBeVisible();

  // The bell's "assigned to you" no longer asks her to commit: it says it was answered, and counts as read.
  await owner.getByRole('button', { name: /^Notifications/ }).click();
  const assigned = owner.getByRole('list', { name: 'Notifications' }).getByRole('listitem').filter({ hasText: title });
  await expect(assigned.getByTestId('notification-settled')).toHaveText('✓ Committed');
  await expect(assigned.getByLabel('unread')).toHaveCount(0);
  await expect(owner.getByTestId('unread-count')).toHaveCount(0);
  await owner.keyboard.press('Escape');

  // The series' next review goes live with a commitments check that lists it.
  const nextId = await liveReview(`Ops follow-up ${Date.now()}`);
  await facilitator.goto(`/reviews/${nextId}`);
  await facilitator
    .getByTestId('agenda-item')
    .filter({ hasText: 'Commitments check' })
    .getByRole('button')
    .first()
    .click();
  const row = facilitator.getByTestId('commitment').filter({ hasText: title });
  await expect(row).toContainText('Priya Raman');
  await expect(row).toContainText('committed');

  await row.getByRole('checkbox').check();
  await expect(row).toContainText('done');
  const after = await (await facilitator.request.get(`/api/actions/${stored.id}`)).json();
  expect(after.action.status).toBe('done');
});

test('the commitments check offers "done" to whom the server lets mark it, and tells the others why', async ({
  newOrganization,
}) => {
  const org = await newOrganization({ people: ['Maya Okafor', 'Priya Raman', 'Jonas Lindqvist', 'Sofia Brandt'] });
  const portfolio = await seedFreightPortfolio(org);
  const metricIds = [portfolio.metrics[FUEL]!.id];
  // Two members, neither an admin: Jonas facilitated the review that recorded the decision, Sofia facilitates the next.
  const [priya, jonas, sofia] = ['Priya Raman', 'Jonas Lindqvist', 'Sofia Brandt'].map((name) => org.person(name));
  const earlier = `Fuel deep dive ${Date.now()}`;
  const recordedIn = await startLive(jonas!, org.id, { title: earlier, series: SERIES, metricIds });
  const title = `Eco-driving pilot in the north ${Date.now()}`;
  const actionId = await recordAction(jonas!, recordedIn.id, {
    title,
    ownerId: priya!.id,
    dueDate: inDays(14),
  });
  const committed = await priya!.api.post(`/api/actions/${actionId}/commit`, { data: {} });
  expect(committed.status(), await committed.text()).toBe(200);
  const next = await startLive(sofia!, org.id, { title: `Ops follow-up ${Date.now()}`, series: SERIES, metricIds });

  const openCheck = async (person: Person) => {
    const page = await person.signIn();
    await page.goto(`/reviews/${next.id}`);
    await page.getByTestId('agenda-item').filter({ hasText: 'Commitments check' }).getByRole('button').first().click();
    const row = page.getByTestId('commitment').filter({ hasText: title });
    await expect(row).toContainText('committed');
    return row;
  };

  // Sofia runs this room but not the review that recorded it: the server refuses her, and the box says why.
  const sofiasRow = await openCheck(sofia!);
  const sofiasBox = sofiasRow.getByRole('checkbox');
  const reason = `Only Priya Raman (its owner), the facilitator of ${earlier} or an admin can mark this done`;
  await expect(sofiasBox).toBeDisabled();
  await expect(sofiasBox).toHaveAttribute('title', reason);
  await expect(sofiasBox).toHaveAccessibleDescription(reason);
  const { action } = await (await sofia!.api.get(`/api/actions/${actionId}`)).json();
  const refused = await sofia!.api.patch(`/api/actions/${actionId}`, {
    data: { version: action.version, status: 'done' },
  });
  expect(refused.status()).toBe(403);

  // Its owner may.
  await expect((await openCheck(priya!)).getByRole('checkbox')).toBeEnabled();

  // So may the facilitator of the review that recorded it; everyone's list shows it done.
  const jonasRow = await openCheck(jonas!);
  await jonasRow.getByRole('checkbox').check();
  await expect(jonasRow).toContainText('done');
  await expect(sofiasRow).toContainText('done');
  const after = await (await jonas!.api.get(`/api/actions/${actionId}`)).json();
  expect(after.action.status).toBe('done');
});
