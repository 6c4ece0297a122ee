// Minutes, recap and sharing: the facilitator closes a live review and everyone in the room is told the minutes are
// ready; the minutes link each decision to its moment in the replay; a share link opens the minutes and the replay
// for someone without an account.
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

test('closing a review shows its minutes to the room, and a share link opens them without an account', async ({
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
  const title = `Fuel review ${Date.now()}`;
  const created = await facilitator.request.post(`/api/orgs/${orgId}/reviews`, {
    data: { title, metricIds: [fuel.id] },
    headers,
  });
  const { review } = await created.json();
  expect((await facilitator.request.post(`/api/reviews/${review.id}/start`, { headers })).status()).toBe(200);
  const { members } = await (await facilitator.request.get(`/api/orgs/${orgId}/members`)).json();
  const priya = members.find((m: { name: string }) => m.name === 'Priya Raman');
  const decision = `Renegotiate the fuel card ${Date.now()}`;
  const recorded = await facilitator.request.post(`/api/reviews/${review.id}/actions`, {
    data: {
      id: crypto.randomUUID(),
      title: decision,
      ownerId: priya.userId,
      dueDate: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10),
    },
    headers,
  });
  expect(recorded.status()).toBe(201);

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
  await expect(owner.getByRole('button', { name: 'Create link' })).toHaveCount(0);
  const replayLink = owner.getByTestId('decision-replay-link').first();
  await expect(replayLink).toHaveAttribute('href', new RegExp(`^/reviews/${review.id}/replay\\?at=\\d+$`));

  await facilitator.getByTestId('recap-minutes-link').click();
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
