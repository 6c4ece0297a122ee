// A new user signs up, creates an organization and invites a colleague, who joins through the link
// in a second browser; both log out and back in.
import type { Page } from '@playwright/test';
import { expect, test } from './support/org.ts';

const PASSWORD = 'a long enough password';

async function signUp(page: Page, name: string, email: string) {
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
}

async function logOutAndIn(page: Page, email: string) {
  await page.getByTestId('account-menu').click();
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
}

test('a new user creates an organization and a colleague joins it through an invitation link', async ({ browser }) => {
  const run = Date.now().toString(36);
  const ana = { name: 'Ana Founder', email: `ana.${run}@example.com` };
  const ben = { name: 'Ben Colleague', email: `ben.${run}@example.com` };
  const orgName = `Acme Freight ${run}`;

  const anaContext = await browser.newContext();
  const anaPage = await anaContext.newPage();
  await anaPage.goto('/');
  await expect(anaPage).toHaveURL(/\/login/);
  await anaPage.getByRole('link', { name: 'Create an account' }).click();
  await signUp(anaPage, ana.name, ana.email);

  await expect(anaPage.getByRole('heading', { name: `Welcome, ${ana.name}` })).toBeVisible();
  await anaPage.getByLabel('Organization name').fill(orgName);
  await anaPage.getByRole('button', { name: 'Create organization' }).click();
  await expect(anaPage.getByRole('heading', { name: orgName })).toBeVisible();
  await expect(anaPage.getByRole('button', { name: 'Switch organization' })).toHaveText(orgName);
  // A new organization opens on its first-run checklist, nothing done yet.
  const checklist = anaPage.getByTestId('first-run');
  await expect(checklist.getByRole('heading', { name: `Get ${orgName} ready for its first review` })).toBeVisible();
  await expect(checklist).toContainText('0 of 5 done');

  await anaPage.getByRole('link', { name: 'Members' }).click();
  await anaPage.getByRole('button', { name: 'Create invitation link' }).click();
  const inviteUrl = await anaPage.getByLabel('Invitation link').inputValue();
  expect(inviteUrl).toMatch(/\/invite\/[a-z2-7]{32}$/);
  await expect(anaPage.getByRole('list', { name: 'Invitations' })).toContainText('pending');

  const benContext = await browser.newContext();
  const benPage = await benContext.newPage();
  await benPage.goto(inviteUrl);
  await expect(benPage.getByRole('heading', { name: orgName })).toBeVisible();
  await expect(benPage.getByText(`${ana.name} invited you to join`)).toBeVisible();
  await benPage.getByRole('link', { name: 'Create an account to join' }).click();
  await signUp(benPage, ben.name, ben.email);
  await expect(benPage.getByRole('heading', { name: orgName })).toBeVisible();
  await expect(benPage.getByText('member', { exact: true }).first()).toBeVisible();

  await anaPage.reload();
  const members = anaPage.getByRole('list', { name: 'Members' });
  await expect(members).toContainText(ben.name);
  await expect(members).toContainText(ben.email);
  await expect(anaPage.getByRole('list', { name: 'Invitations' })).toContainText(`joined by ${ben.name}`);

  // The link is single-use: a third person opening it is told so.
  const eveContext = await browser.newContext();
  const evePage = await eveContext.newPage();
  await evePage.goto(inviteUrl);
  await expect(evePage.getByRole('heading', { name: 'This invitation cannot be used' })).toBeVisible();
  await expect(evePage.getByText('already used')).toBeVisible();

  await logOutAndIn(anaPage, ana.email);
  await expect(anaPage.getByRole('heading', { name: orgName })).toBeVisible();
  await logOutAndIn(benPage, ben.email);
  await expect(benPage.getByRole('heading', { name: orgName })).toBeVisible();

  // After logging out, the old session no longer opens the app.
  await benPage.getByTestId('account-menu').click();
  await benPage.getByRole('button', { name: 'Log out' }).click();
  await benPage.goto('/');
  await expect(benPage).toHaveURL(/\/login/);

  await Promise.all([anaContext.close(), benContext.close(), eveContext.close()]);
});

test('a wrong password shows a clear error and signing up with a short password names the field', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('nobody@example.com');
  await page.getByLabel('Password').fill('whatever-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Invalid email or password');

  await page.goto('/signup');
  await page.getByLabel('Name').fill('Short Password');
  await page.getByLabel('Email').fill(`short.${Date.now()}@example.com`);
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('must be at least 10 characters')).toBeVisible();
});

test('signing out everywhere ends the other browser’s session too', async ({ browser, baseURL }) => {
  const email = `everywhere-${Date.now()}@example.com`;
  const laptop = await (await browser.newContext({ baseURL })).newPage();
  const signup = await laptop.request.post('/api/auth/signup', {
    data: { email, password: 'correct horse battery', name: 'Eve Everywhere' },
    headers: { origin: baseURL! },
  });
  expect(signup.status()).toBe(201);
  const phone = await (await browser.newContext({ baseURL })).newPage();
  await phone.request.post('/api/auth/login', {
    data: { email, password: 'correct horse battery' },
    headers: { origin: baseURL! },
  });
  await phone.goto('/');
  await expect(phone.getByTestId('account-menu')).toBeVisible();

  await laptop.goto('/');
  await laptop.getByTestId('account-menu').click();
  await laptop.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(laptop.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await phone.reload();
  await expect(phone.getByRole('heading', { name: 'Log in' })).toBeVisible();
});
