// The room decides, one person is accountable: the facilitator records a decision owned by a regional manager,
// who sees it arrive in her own browser and commits; both see "committed"; it is on her list of commitments,
// and the series' next review brings it back in its commitments check, where ticking it done sticks.
import { expect, test, type Browser, type Page } from '@playwright/test';

async function signIn(browser: Browser, baseURL: string, email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const response = await context.request.post('/api/auth/login', {
    data: { email, password: 'lastmile-demo' },
    headers: { origin: baseURL },
  });
  expect(response.ok()).toBe(true);
  return context.newPage();
}

const decision = (page: Page, title: string) => page.getByTestId('decision').filter({ hasText: title });

test('a decision recorded in the room is committed to by its owner and followed up at the next review', async ({
  browser,
  baseURL,
}) => {
  const facilitator = await signIn(browser, baseURL!, 'vp.ops@northwind.example');
  const owner = await signIn(browser, baseURL!, 'north.region@northwind.example');
  const headers = { origin: baseURL! };
  const me = await (await facilitator.request.get('/api/me')).json();
  const orgId = me.organizations[0].id as string;
  const { metrics } = await (await facilitator.request.get(`/api/orgs/${orgId}/metrics`)).json();
  const fuel = metrics.find((m: { name: string }) => m.name === 'Fleet fuel cost savings');

  async function liveReview(title: string) {
    const created = await facilitator.request.post(`/api/orgs/${orgId}/reviews`, {
      data: { title, series: 'Weekly ops review', metricIds: [fuel.id] },
      headers,
    });
    expect(created.status()).toBe(201);
    const { review } = await created.json();
    expect((await facilitator.request.post(`/api/reviews/${review.id}/start`, { headers })).status()).toBe(200);
    return review.id as string;
  }

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
  // Overdue items come first: the demo's overdue fuel card contract leads the list.
  await expect(facilitator.getByTestId('commitment').first()).toContainText('overdue since');

  await row.getByRole('checkbox').check();
  await expect(row).toContainText('done');
  const after = await (await facilitator.request.get(`/api/actions/${stored.id}`)).json();
  expect(after.action.status).toBe('done');
});
