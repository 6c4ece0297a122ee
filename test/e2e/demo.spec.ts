// The demo login printed at start-up works in a browser and opens the demo organization.
import { expect, test } from '@playwright/test';

test('the demo VP of Operations logs in and finds Northwind Freight with its team', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Email').fill('vp.ops@northwind.example');
  await page.getByLabel('Password').fill('lastmile-demo');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Northwind Freight' })).toBeVisible();
  await page.getByRole('link', { name: 'Members' }).click();
  const members = page.getByRole('list', { name: 'Members' });
  for (const name of ['Maya Okafor', 'Jonas Lindqvist', 'Priya Raman', 'Diego Alvarez']) {
    await expect(members).toContainText(name);
  }
});
