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

  // A key result needs a metric that does not exist yet: it is created from the key result's own form and picked.
  await page.getByRole('button', { name: 'New key result' }).click();
  const keyResult = page.getByRole('dialog', { name: 'New key result' });
  await keyResult.getByLabel('Objective').selectOption({ label: 'Deliver every parcel the next day' });
  await keyResult.getByLabel('Title').fill('Next-day deliveries above 95%');
  await keyResult.getByRole('button', { name: 'New metric…' }).click();
  const metric = page.getByRole('dialog', { name: 'New metric' });
  await metric.getByLabel('Name').fill('Parcels delivered the next day');
  await metric.getByLabel('Unit', { exact: true }).selectOption('percent');
  await metric.getByLabel('Baseline').fill('80');
  await metric.getByLabel('Target', { exact: true }).fill('95');
  await metric.getByLabel('Target date').fill(new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10));
  await metric.getByLabel('Owner').selectOption({ label: 'Ada Admin' });
  await metric.getByRole('button', { name: 'Create metric' }).click();
  await expect(metric).toBeHidden();
  await expect(keyResult.getByLabel('Measured by').locator('option:checked')).toHaveText(
    'Parcels delivered the next day',
  );
  await keyResult.getByRole('button', { name: 'Add key result' }).click();
  await expect(keyResult).toBeHidden();
  await expect(page.getByText('Key result: Next-day deliveries above 95%')).toBeVisible();
  await expect(checklist).toContainText('3 of 5 done');
  await expect(checklist.locator('[data-step="metric"]')).toHaveAttribute('data-done', 'true');

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

test('a first-time admin gets from sign-up to a live review by the checklist alone', async ({ page }) => {
  const run = Date.now().toString(36);
  await page.goto('/signup');
  await page.getByLabel('Name').fill('Fay First');
  await page.getByLabel('Email').fill(`fay.first.${run}@example.com`);
  await page.getByLabel('Password').fill('a long enough password for a first run');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByLabel('Organization name').fill(`First Freight ${run}`);
  await page.getByRole('button', { name: 'Create organization' }).click();

  const checklist = page.getByTestId('first-run');
  await expect(checklist).toContainText('0 of 5 done');
  const dialog = page.getByRole('dialog');

  await checklist.getByRole('button', { name: 'New objective' }).click();
  await dialog.getByLabel('Title').fill('On time, every time');
  await dialog.getByLabel('Owner').selectOption({ label: 'Fay First' });
  await dialog.getByRole('button', { name: 'Create objective' }).click();
  await expect(checklist).toContainText('1 of 5 done');

  await checklist.getByRole('button', { name: 'New metric' }).click();
  await dialog.getByLabel('Name').fill('Deliveries on time');
  await dialog.getByLabel('Unit', { exact: true }).selectOption('percent');
  await dialog.getByLabel('Baseline').fill('85');
  await dialog.getByLabel('Target', { exact: true }).fill('98');
  await dialog.getByLabel('Target date').fill(new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10));
  await dialog.getByLabel('Owner').selectOption({ label: 'Fay First' });
  await dialog.getByRole('button', { name: 'Create metric' }).click();
  await expect(checklist).toContainText('2 of 5 done');

  await checklist.getByRole('button', { name: 'New initiative' }).click();
  await dialog.getByLabel('Title').fill('Route planning overhaul');
  await dialog.getByLabel('Accountable owner').selectOption({ label: 'Fay First' });
  await dialog.getByLabel('Team').fill('Dispatch');
  await dialog.getByRole('button', { name: 'Create initiative' }).click();
  await expect(checklist).toContainText('3 of 5 done');

  // Inviting happens on the members page; back on the portfolio, an open invitation counts.
  await checklist.getByRole('button', { name: 'Invite people' }).click();
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  await expect(page.getByLabel('Invitation link')).toHaveValue(/\/invite\//);
  await page.getByRole('link', { name: 'Portfolio' }).click();
  await expect(checklist).toContainText('4 of 5 done');

  // The last step schedules the review and opens its room, where it goes live.
  await checklist.getByRole('button', { name: 'Schedule a review' }).click();
  await dialog.getByRole('button', { name: 'Schedule review' }).click();
  await expect(page).toHaveURL(/\/reviews\/[0-9a-f-]{36}$/);
  await page.getByRole('button', { name: 'Start review' }).click();
  await expect(page.getByTestId('review-status')).toHaveText('live');

  // Every step done, the checklist has done its work and gives way to the portfolio.
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'On time, every time' })).toBeVisible();
  await expect(page.getByTestId('first-run')).toHaveCount(0);
});
