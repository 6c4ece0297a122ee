// Issue 27's polish, as a tester met it: unknown pages, one organization, replay times, decision title limits,
// renaming an action item, and scheduling in the past or twice on one day.
// Each test signs in as Maya in an organization of her own (her only one), seeded with what it needs.
import type { BrowserContextOptions, Page } from '@playwright/test';
import { expect, test, type NewOrganization } from './support/org.ts';
import { seedFreightPortfolio } from './support/portfolio.ts';
import { heldPastReview } from './support/reviews.ts';

/** Maya, the admin of a new organization with `seed` in it, in a browser of her own. */
async function signIn(
  newOrganization: NewOrganization,
  seed: 'nothing' | 'portfolio' | 'past review',
  options: BrowserContextOptions = {},
): Promise<Page> {
  const org = await newOrganization({ people: ['Maya Okafor'] });
  if (seed !== 'nothing') {
    const portfolio = await seedFreightPortfolio(org);
    if (seed === 'past review') await heldPastReview(org, portfolio);
  }
  return org.person('Maya Okafor').signIn(options);
}

async function orgOf(page: Page) {
  const me = await (await page.request.get('/api/me')).json();
  return { me, orgId: me.organizations[0].id as string, userId: me.user.id as string };
}

async function liveReview(page: Page, baseURL: string, title: string) {
  const { orgId } = await orgOf(page);
  const { metrics } = await (await page.request.get(`/api/orgs/${orgId}/metrics`)).json();
  const fuel = metrics.find((m: { name: string }) => m.name === 'Fleet fuel cost savings');
  const headers = { origin: baseURL };
  const created = await page.request.post(`/api/orgs/${orgId}/reviews`, {
    data: { title, metricIds: [fuel.id] },
    headers,
  });
  expect(created.status()).toBe(201);
  const { review } = await created.json();
  expect((await page.request.post(`/api/reviews/${review.id}/start`, { headers })).status()).toBe(200);
  return review.id as string;
}

test('an unknown page says so with status 404, the header and a way home', async ({ page, newOrganization }) => {
  const anonymous = await page.goto('/no-such-page');
  expect(anonymous?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'This page does not exist' })).toBeVisible();
  await expect(page.getByText('/no-such-page')).toBeVisible();
  const api = await page.request.get('/api/no-such-route');
  expect(api.status()).toBe(404);
  expect(await api.json()).toMatchObject({ error: 'No such API route' });

  const maya = await signIn(newOrganization, 'nothing');
  const response = await maya.goto('/orgs/nothing/here/at-all');
  expect(response?.status()).toBe(404);
  await expect(maya.getByRole('heading', { name: 'This page does not exist' })).toBeVisible();
  await expect(maya.getByTestId('account-menu')).toBeVisible();
  await maya.getByRole('link', { name: 'Go to your organization' }).click();
  await expect(maya).toHaveURL(/\/orgs\/[0-9a-f-]{36}$/);
  await maya.context().close();
});

test('someone with one organization goes straight to it and is never asked to choose', async ({ newOrganization }) => {
  const maya = await signIn(newOrganization, 'nothing');
  const { me, orgId } = await orgOf(maya);
  expect(me.organizations).toHaveLength(1);
  await maya.goto('/');
  await expect(maya).toHaveURL(new RegExp(`/orgs/${orgId}$`));
  await maya.goto('/commitments');
  const switcher = maya.getByRole('button', { name: /switch organization/ });
  await expect(switcher).toHaveAccessibleName(`${me.organizations[0].name}, switch organization`);
  await expect(maya.getByText('Choose an organization')).toHaveCount(0);
  await maya.context().close();
});

test('the replay shows times in the viewer’s own time zone', async ({ newOrganization }) => {
  const timeZone = 'America/Los_Angeles';
  const maya = await signIn(newOrganization, 'past review', { timezoneId: timeZone, locale: 'en-US' });
  const { orgId } = await orgOf(maya);
  const { reviews } = await (await maya.request.get(`/api/orgs/${orgId}/reviews`)).json();
  const past = reviews.find((r: { status: string }) => r.status === 'closed');
  await maya.goto(`/reviews/${past.id}/replay`);
  const clock = maya.getByTestId('replay-clock').locator('time');
  await expect(clock).toHaveAttribute('datetime', /Z$/);
  const at = new Date((await clock.getAttribute('datetime'))!);
  const local = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).formatToParts(at);
  const part = (type: string) => local.find((p) => p.type === type)!.value;
  await expect(clock).toContainText(`${part('hour')}:${part('minute')}`);
  await expect(clock).toContainText(part('timeZoneName')); // PST or PDT, not UTC
  await expect(clock).not.toContainText('UTC');
  await maya.context().close();
});

test('a decision title shows its length against the limit and is never cut', async ({ baseURL, newOrganization }) => {
  const maya = await signIn(newOrganization, 'portfolio');
  const reviewId = await liveReview(maya, baseURL!, `Title limit ${Date.now()}`);
  await maya.goto(`/reviews/${reviewId}`);
  await maya.getByRole('button', { name: '+ Draft a decision' }).click();
  const field = maya.getByLabel('Decision', { exact: true });
  await field.fill('Pilot eco-driving');
  await expect(maya.getByText('17 / 200')).toBeVisible();
  const long = 'Pilot eco-driving training for every driver in the northern depots '.repeat(4).slice(0, 230);
  await field.fill(long);
  await expect(field).toHaveValue(long);
  await expect(maya.getByText('30 characters too long (230 / 200)')).toBeVisible();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await maya.getByLabel('Accountable owner').selectOption({ label: 'Maya Okafor' });
  await maya.getByRole('button', { name: 'Record', exact: true }).click();
  await expect(maya.getByText('Shorten the decision by 30 characters (at most 200)')).toBeVisible();
  await maya.context().close();
});

test('the owner renames an action item in place, and a conflicting change is explained', async ({
  baseURL,
  newOrganization,
}) => {
  const maya = await signIn(newOrganization, 'portfolio');
  const { userId } = await orgOf(maya);
  const reviewId = await liveReview(maya, baseURL!, `Rename ${Date.now()}`);
  const headers = { origin: baseURL! };
  const id = crypto.randomUUID();
  const dueDate = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
  const recorded = await maya.request.post(`/api/reviews/${reviewId}/actions`, {
    data: { id, title: 'Pilot eco-driving', ownerId: userId, dueDate },
    headers,
  });
  expect(recorded.status()).toBe(201);

  await maya.goto(`/actions/${id}`);
  await expect(maya.getByRole('heading', { level: 1 })).toHaveText('Pilot eco-driving');
  await maya.getByRole('button', { name: 'Edit title' }).click();
  const field = maya.getByLabel('Title', { exact: true });
  await expect(field).toBeFocused();
  await field.fill('Pilot eco-driving in the north');
  await expect(maya.getByText('30 / 200')).toBeVisible();
  await field.press('Escape');
  await expect(maya.getByRole('heading', { level: 1 })).toHaveText('Pilot eco-driving');

  await maya.getByRole('button', { name: 'Edit title' }).click();
  await field.fill('Pilot eco-driving in the north');
  await maya.getByRole('button', { name: 'Save title' }).click();
  await expect(maya.getByRole('heading', { level: 1 })).toHaveText('Pilot eco-driving in the north');

  // Someone else renames it while the owner edits: nothing of hers is lost, and she is told why.
  await maya.getByRole('button', { name: 'Edit title' }).click();
  await field.fill('Mine');
  const current = await (await maya.request.get(`/api/actions/${id}`)).json();
  const other = await maya.request.patch(`/api/actions/${id}`, {
    data: { version: current.action.version, title: 'Theirs' },
    headers,
  });
  expect(other.status()).toBe(200);
  await maya.getByRole('button', { name: 'Save title' }).click();
  await expect(maya.getByText(/Someone changed this action item while you were editing/)).toBeVisible();
  await expect(maya.getByText('Latest title: “Theirs”')).toBeVisible();
  await expect(field).toHaveValue('Mine');
  await maya.getByRole('button', { name: 'Save title' }).click();
  await expect(maya.getByRole('heading', { level: 1 })).toHaveText('Mine');
  await maya.context().close();
});

test('scheduling refuses a start in the past and asks before a second review of that title on that day', async ({
  baseURL,
  newOrganization,
}) => {
  const maya = await signIn(newOrganization, 'nothing');
  const { orgId } = await orgOf(maya);
  const title = `Board prep ${Date.now()}`;
  const tomorrow = new Date(Date.now() + 86_400_000);
  tomorrow.setHours(10, 0, 0, 0);
  const first = await maya.request.post(`/api/orgs/${orgId}/reviews`, {
    data: { title, scheduledAt: tomorrow.toISOString() },
    headers: { origin: baseURL! },
  });
  expect(first.status()).toBe(201);

  await maya.goto(`/orgs/${orgId}/reviews`);
  await maya.getByRole('button', { name: 'Schedule a review' }).first().click();
  const dialog = maya.getByRole('dialog');
  await dialog.getByLabel('Title').fill(`${title} (past)`);
  await dialog.getByLabel('When').fill('2020-01-06T09:00');
  await dialog.getByRole('button', { name: 'Schedule review' }).click();
  await expect(dialog.getByText('The review must start in the future')).toBeVisible();

  // Same title, same day (in the viewer's time zone): scheduled only once confirmed.
  await dialog.getByLabel('Title').fill(title);
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${tomorrow.getFullYear()}-${pad(tomorrow.getMonth() + 1)}-${pad(tomorrow.getDate())}`;
  await dialog.getByLabel('When').fill(`${day}T15:00`);
  await dialog.getByRole('button', { name: 'Schedule review' }).click();
  await expect(dialog.getByText(`“${title}” is already scheduled that day`)).toBeVisible();
  await dialog.getByRole('button', { name: 'Schedule anyway' }).click();
  await expect(maya).toHaveURL(/\/reviews\/[0-9a-f-]{36}$/);
  await maya.context().close();
});
