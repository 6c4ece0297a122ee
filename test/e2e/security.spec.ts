// Crafted links cannot make a signed-in browser act on the user's behalf: a value from the address that is not an
// invite token or an id is refused in the page, before any request is built from it (security review, issue 26).
// The facilitator and the review are in an organization of the spec's own, with the demo's portfolio.
import type { APIRequestContext, Page, Request } from '@playwright/test';
import { expect, PASSWORD, test, type NewOrganization } from './support/org.ts';
import { seedFreightPortfolio } from './support/portfolio.ts';

/** The VP of a new organization with the demo's portfolio: her email and her own API session, apart from the
 * browser under test, to set up and inspect the review. */
async function facilitatorOf(newOrganization: NewOrganization) {
  const org = await newOrganization({ people: ['Maya Okafor'] });
  await seedFreightPortfolio(org);
  const maya = org.person('Maya Okafor');
  return { orgId: org.id, orgName: org.name, email: maya.email, api: maya.api };
}

/** A fresh review of the portfolio, started, with its creator (the VP) facilitating. */
async function liveReview(api: APIRequestContext, baseURL: string, orgId: string): Promise<string> {
  const headers = { origin: baseURL };
  const { metrics } = await (await api.get(`/api/orgs/${orgId}/metrics`)).json();
  const created = await api.post(`/api/orgs/${orgId}/reviews`, {
    data: { title: `Security test ${Date.now()}`, metricIds: metrics.map((m: { id: string }) => m.id) },
    headers,
  });
  expect(created.status()).toBe(201);
  const { review } = await created.json();
  expect((await api.post(`/api/reviews/${review.id}/start`, { headers })).status()).toBe(200);
  return review.id as string;
}

const statusOf = async (api: APIRequestContext, reviewId: string) =>
  ((await (await api.get(`/api/reviews/${reviewId}`)).json()).review as { status: string }).status;

/** Every request the page sends to the API, as "METHOD /path". */
function recordApiRequests(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (request: Request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/')) sent.push(`${request.method()} ${url.pathname}${url.search}`);
  });
  return sent;
}

test('a crafted invite link does not close the live review of the facilitator who signs in through it', async ({
  browser,
  baseURL,
  newOrganization,
}, testInfo) => {
  const { api, orgId, email } = await facilitatorOf(newOrganization);
  const reviewId = await liveReview(api, baseURL!, orgId);
  expect(await statusOf(api, reviewId)).toBe('live');

  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const sent = recordApiRequests(page);
  await page.goto(`/login?invite=..%2Freviews%2F${reviewId}%2Fclose%23`);
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('invalid-invite.png') });

  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  const signedIn = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/auth/login');
  await page.getByRole('button', { name: 'Log in' }).click();
  expect((await signedIn).ok()).toBe(true);
  // Whatever the page does with the invite once signed in is done when it says something.
  await expect(page.getByText('You are signed in').or(page.getByRole('alert'))).toBeVisible();

  expect(await statusOf(api, reviewId), 'the review is still live').toBe('live');
  expect(sent, 'no request but the sign-in went out').toEqual(['POST /api/auth/login']);
  await expect(page.getByTestId('invalid-invite')).toContainText('This invitation link is not valid');
  await page.screenshot({ path: testInfo.outputPath('invalid-invite-signed-in.png') });
  await context.close();
});

test('links whose token or id cannot be real are refused without a request', async ({
  browser,
  baseURL,
  newOrganization,
}) => {
  const { api, orgId, orgName, email } = await facilitatorOf(newOrganization);
  const reviewId = await liveReview(api, baseURL!, orgId);
  const crafted = `..%2Freviews%2F${reviewId}%2Fclose`;

  // Signed out: an invitation and a share link.
  const guest = await (await browser.newContext({ baseURL })).newPage();
  const guestSent = recordApiRequests(guest);
  await guest.goto(`/invite/${crafted}`);
  await expect(guest.getByText('This invitation link is not valid')).toBeVisible();
  await guest.goto(`/shared/${crafted}`);
  await expect(guest.getByText('This share link is not valid')).toBeVisible();
  expect(guestSent).toEqual([]);

  // Signed in: pages of a review and of an action item; the app's own requests go out, none built from the address.
  const member = await (await browser.newContext({ baseURL })).newPage();
  await member.goto('/login');
  await member.getByLabel('Email').fill(email);
  await member.getByLabel('Password').fill(PASSWORD);
  await member.getByRole('button', { name: 'Log in' }).click();
  await expect(member.getByRole('heading', { name: orgName })).toBeVisible();
  const memberSent = recordApiRequests(member);
  for (const path of [`/reviews/${crafted}`, `/reviews/${crafted}/minutes`, `/actions/${crafted}`]) {
    await member.goto(path);
    await expect(member.getByTestId('invalid-link')).toBeVisible();
  }
  const fromTheAddress = memberSent.filter(
    (request) => request.includes(reviewId) || /\/api\/(reviews|actions)\//.test(request),
  );
  expect(fromTheAddress).toEqual([]);
  expect(await statusOf(api, reviewId)).toBe('live');
});
