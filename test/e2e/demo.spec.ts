// The demo login printed at start-up works in a browser and opens the demo organization, whose live weekly review
// tells the README's story. This spec only reads the demo: every journey that changes data runs in an
// organization of its own (support/org.ts), so the demo stays as seeded whatever ran before.
import type { Page } from '@playwright/test';
import { expect, test } from './support/org.ts';
import { expectFuelTriageOnTop } from './support/reviews.ts';

async function logIn(page: Page) {
  await page.goto('/');
  await page.getByLabel('Email').fill('vp.ops@northwind.example');
  await page.getByLabel('Password').fill('lastmile-demo');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Northwind Freight' })).toBeVisible();
}

test('the demo VP of Operations logs in and finds Northwind Freight with its team', async ({ page }) => {
  await logIn(page);
  await page.getByRole('link', { name: 'Members' }).click();
  const members = page.getByRole('list', { name: 'Members' });
  for (const name of ['Maya Okafor', 'Jonas Lindqvist', 'Priya Raman', 'Diego Alvarez']) {
    await expect(members).toContainText(name);
  }
});

test('the demo review opens on the fuel savings triage, and its commitments check leads with the overdue one', async ({
  page,
}) => {
  await logIn(page);
  const me = await (await page.request.get('/api/me')).json();
  const orgId = me.organizations[0].id as string;
  const { reviews } = await (await page.request.get(`/api/orgs/${orgId}/reviews`)).json();
  const demo = reviews.find(
    (review: { title: string; status: string }) =>
      review.status === 'live' && review.title.startsWith('Weekly ops review'),
  );

  await page.goto(`/reviews/${demo.id}`);
  await expectFuelTriageOnTop(page);

  // Last week's decisions come back, overdue first: the fuel card contract was due two days ago.
  await page.getByTestId('agenda-item').filter({ hasText: 'Commitments check' }).getByRole('button').first().click();
  const overdue = page.getByTestId('commitment').first();
  await expect(overdue).toContainText('Renegotiate the fuel card contract');
  await expect(overdue).toContainText('overdue since');
});
