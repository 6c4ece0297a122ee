// A new organization's admin is led through the first run: objective, metric, initiative, invite, first review.
// Each step opens the form that does it and is ticked off as soon as it is done; the admin may hide the checklist,
// and it stays hidden. Members do not see it.
import { expect, test } from './support/org.ts';

test('a new admin follows the first-run checklist, and hiding it sticks', async ({ newOrganization }) => {
  const org = await newOrganization({ people: ['Ada Admin', 'Mo Member'] });
  const page = await org.person('Ada Admin').signIn();
  await page.goto(`/orgs/${org.id}`);

  const checklist = page.getByTestId('first-run');
  await expect(checklist.getByRole('heading', { name: `Get ${org.name} ready for its first review` })).toBeVisible();
  // A colleague is already a member: the invitation step is done, the objective comes first.
  await expect(checklist).toContainText('1 of 5 done');
  await expect(checklist.locator('[data-step="invite"]')).toHaveAttribute('data-done', 'true');
  await expect(checklist.locator('[data-step="invite"]')).toContainText('(done)');
  // The empty portfolio's own message waits until the checklist is out of the way.
  await expect(page.getByText('No objectives yet')).toBeHidden();

  await checklist.getByRole('button', { name: 'New objective' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Title').fill('Deliver every parcel the next day');
  await dialog.getByLabel('Owner').selectOption({ label: 'Ada Admin' });
  await dialog.getByRole('button', { name: 'Create objective' }).click();
  await expect(dialog).toBeHidden();
  await expect(checklist).toContainText('2 of 5 done');
  await expect(checklist.locator('[data-step="objective"]')).toHaveAttribute('data-done', 'true');
  // The next step is the one offered first.
  await expect(checklist.getByRole('button', { name: 'New metric' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Deliver every parcel the next day' })).toBeVisible();

  // A member sees the portfolio, not the checklist.
  const member = await org.person('Mo Member').signIn();
  await member.goto(`/orgs/${org.id}`);
  await expect(member.getByRole('heading', { name: 'Deliver every parcel the next day' })).toBeVisible();
  await expect(member.getByTestId('first-run')).toHaveCount(0);

  await checklist.getByRole('button', { name: 'Hide this checklist' }).click();
  await expect(checklist).toBeHidden();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Deliver every parcel the next day' })).toBeVisible();
  await expect(page.getByTestId('first-run')).toHaveCount(0);
});
