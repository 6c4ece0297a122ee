// axe-core on every page of the app, in light and in dark mode (the app follows `prefers-color-scheme`): no
// violation of impact serious or critical anywhere, signed in as the facilitator or signed out where a page
// is for someone without an account. Open menus and panels are checked too, since they draw over the page.
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Browser, type Locator, type Page } from '@playwright/test';
import type { AxeResults } from 'axe-core';
import { createOrganization, test, type Organization } from './support/org.ts';
import { FUEL, FUEL_SAVINGS, seedFreightPortfolio } from './support/portfolio.ts';
import { heldPastReview, liveReview, SERIES } from './support/reviews.ts';

type Ids = {
  orgId: string;
  orgName: string;
  liveReviewId: string;
  closedReviewId: string;
  metricId: string;
  initiativeId: string;
  actionId: string;
  shareUrl: string;
};

let ids: Ids;
let org: Organization;
let storageState: Awaited<ReturnType<import('@playwright/test').BrowserContext['storageState']>>;

// The pages are those of an organization of the spec's own, seeded as the demo is (its portfolio, last week's
// review held and this week's live), since sharing the minutes changes what the demo holds.
test.beforeAll(async ({ browser, baseURL }) => {
  org = await createOrganization(browser, baseURL!, {
    people: ['Maya Okafor', 'Jonas Lindqvist', 'Priya Raman', 'Sofia Brandt'],
  });
  const portfolio = await seedFreightPortfolio(org);
  const maya = org.person('Maya Okafor');
  const closed = await heldPastReview(org, portfolio);
  const live = await liveReview(maya, org.id, {
    title: `${SERIES}, this week`,
    series: SERIES,
    metricIds: portfolio.metricIds,
    initiativeIds: portfolio.initiativeIds,
  });
  const { actions } = await (await maya.api.get(`/api/orgs/${org.id}/actions`)).json();
  const share = await maya.api.post(`/api/reviews/${closed.id}/shares`, { data: { expiresInDays: 7 } });
  expect(share.status()).toBe(201);
  ids = {
    orgId: org.id,
    orgName: org.name,
    liveReviewId: live.id,
    closedReviewId: closed.id,
    metricId: portfolio.metrics[FUEL]!.id,
    initiativeId: portfolio.initiatives[FUEL_SAVINGS]!.id,
    actionId: actions[0].id,
    shareUrl: new URL((await share.json()).url).pathname,
  };
  storageState = await maya.api.storageState();
});
test.afterAll(() => org?.close());

/** The violations that fail the check, one readable paragraph each: rule, impact, where and why. */
function report(results: AxeResults): string {
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map((node) => `    - ${node.target.join(' ')}\n      ${node.failureSummary?.replace(/\n/g, '\n      ')}`)
        .join('\n');
      const more = v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : '';
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element(s))\n${nodes}${more}`;
    })
    .join('\n');
}

async function expectAccessible(page: Page, what: string) {
  // axe-core's default rules (WCAG A and AA, best practices) and one it still calls experimental: a control's
  // accessible name must contain its visible label, so voice users can say what they see.
  const results = await new AxeBuilder({ page })
    .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
    .analyze();
  const problems = report(results);
  expect(problems, `axe-core on ${what} (${page.url()}):\n${problems}`).toBe('');
}

type Check = {
  name: string;
  path: (ids: Ids) => string;
  /** Something that is only there once the page has loaded what it shows. */
  ready: (page: Page) => Locator;
  signedOut?: boolean;
  /** Menus or panels to open and check as well, each drawn over the page. */
  open?: { name: string; trigger: (page: Page) => Locator; shown: (page: Page) => Locator }[];
};

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).first();

const checks: Check[] = [
  {
    name: 'home (the organization portfolio)',
    path: () => '/',
    ready: (page) => page.getByRole('heading', { name: ids.orgName }),
    open: [
      {
        name: 'organization switcher',
        trigger: (page) => page.getByRole('button', { name: new RegExp(ids.orgName) }),
        shown: (page) => page.getByRole('menu'),
      },
      {
        name: 'account menu',
        trigger: (page) => page.getByTestId('account-menu'),
        shown: (page) => page.getByRole('button', { name: 'Sign out everywhere' }),
      },
      {
        name: 'notifications',
        trigger: (page) => page.getByRole('button', { name: /^Notifications/ }),
        shown: (page) => page.getByRole('heading', { name: 'Notifications' }),
      },
    ],
  },
  { name: 'reviews list', path: (i) => `/orgs/${i.orgId}/reviews`, ready: heading },
  { name: 'live review room', path: (i) => `/reviews/${i.liveReviewId}`, ready: (page) => page.locator('#item-title') },
  {
    name: 'closed review room',
    path: (i) => `/reviews/${i.closedReviewId}`,
    ready: (page) => page.locator('#item-title'),
  },
  {
    name: 'minutes',
    path: (i) => `/reviews/${i.closedReviewId}/minutes`,
    ready: (page) => page.getByTestId('minutes-decision').first(),
  },
  {
    name: 'replay',
    path: (i) => `/reviews/${i.closedReviewId}/replay`,
    ready: (page) => page.getByTestId('replay-board'),
  },
  { name: 'metric page', path: (i) => `/orgs/${i.orgId}/metrics/${i.metricId}`, ready: heading },
  { name: 'initiative page', path: (i) => `/orgs/${i.orgId}/initiatives/${i.initiativeId}`, ready: heading },
  { name: 'dependency map', path: (i) => `/orgs/${i.orgId}/map`, ready: heading },
  { name: 'action items', path: (i) => `/orgs/${i.orgId}/actions`, ready: heading },
  { name: 'an action item', path: (i) => `/actions/${i.actionId}`, ready: heading },
  { name: 'my commitments', path: () => '/commitments', ready: heading },
  { name: 'members and settings', path: (i) => `/orgs/${i.orgId}/members`, ready: heading },
  { name: 'API tokens', path: (i) => `/orgs/${i.orgId}/tokens`, ready: heading },
  { name: 'CSV import', path: (i) => `/orgs/${i.orgId}/import`, ready: heading },
  { name: 'new organization', path: () => '/orgs/new', ready: heading },
  { name: 'not found', path: () => '/no-such-page', ready: (page) => page.getByText(/not found/i).first() },
  { name: 'login', path: () => '/login', ready: heading, signedOut: true },
  { name: 'sign-up', path: () => '/signup', ready: heading, signedOut: true },
  { name: 'shared minutes', path: (i) => i.shareUrl, ready: heading, signedOut: true },
  {
    name: 'shared replay',
    path: (i) => `${i.shareUrl}/replay`,
    ready: (page) => page.getByTestId('replay-board'),
    signedOut: true,
  },
  {
    name: 'not found, signed out',
    path: () => '/no-such-page',
    ready: (page) => page.getByText(/not found/i).first(),
    signedOut: true,
  },
];

async function openPage(browser: Browser, baseURL: string, colorScheme: 'light' | 'dark', signedOut: boolean) {
  const context = await browser.newContext({
    baseURL,
    colorScheme,
    storageState: signedOut ? undefined : storageState,
  });
  return context.newPage();
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} mode`, () => {
    for (const check of checks) {
      test(`${check.name} has no serious accessibility violation`, async ({ browser, baseURL }) => {
        const page = await openPage(browser, baseURL!, colorScheme, check.signedOut ?? false);
        await page.goto(check.path(ids));
        // A room's board may take a while to load the first time it is opened after start-up.
        await expect(check.ready(page)).toBeVisible({ timeout: 30_000 });
        await page.waitForLoadState('networkidle');
        await expectAccessible(page, `${check.name}, ${colorScheme} mode`);
        for (const menu of check.open ?? []) {
          await menu.trigger(page).click();
          await expect(menu.shown(page)).toBeVisible();
          await expectAccessible(page, `${check.name} with the ${menu.name} open, ${colorScheme} mode`);
          await page.keyboard.press('Escape');
          await page.mouse.click(1, 300);
        }
        await page.context().close();
      });
    }
  });
}

test('every page starts with a skip link to its content', async ({ browser, baseURL }) => {
  const page = await openPage(browser, baseURL!, 'light', false);
  await page.goto(`/orgs/${ids.orgId}/reviews`);
  await expect(heading(page)).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main-content')).toBeFocused();
  await page.context().close();
});
