// The review itself changes while people are in the room (it goes live, is renamed, closes): everyone already
// there sees it at once, without reloading the page.
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

test('going live, a new title and the close reach people already in the room', async ({ browser, baseURL }) => {
  const facilitator = await signIn(browser, baseURL!, 'vp.ops@northwind.example');
  const owner = await signIn(browser, baseURL!, 'finance@northwind.example');
  const headers = { origin: baseURL! };
  const me = await (await facilitator.request.get('/api/me')).json();
  const orgId = me.organizations[0].id as string;
  const created = await facilitator.request.post(`/api/orgs/${orgId}/reviews`, {
    data: { title: `Live state ${Date.now()}` },
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
    data: { title: 'Weekly ops review, moved' },
    headers,
  });
  expect(renamed.status()).toBe(200);
  await expect(owner.getByRole('heading', { level: 1 })).toHaveText('Weekly ops review, moved');

  await facilitator.getByRole('button', { name: 'Close review' }).click();
  await facilitator.getByRole('alertdialog').getByRole('button', { name: 'Close review' }).click();
  await expect(owner.getByTestId('review-status')).toHaveText('closed');
  await owner.screenshot({ path: test.info().outputPath('owner-after-close.png') });
});
