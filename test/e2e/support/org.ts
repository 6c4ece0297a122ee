// An organization of a spec's own, so no journey changes the demo (or another journey's data): people signed up
// through the API with unique emails, joined as members through invitation links the way the app does it, each
// with an API session and browsers signed in as them. `test` hands a spec `newOrganization` and closes what it
// opened when the test ends; `createOrganization` is the same for a `beforeAll`. Every journey that uses this `test`
// fails on an uncaught error in any of its browsers.
import {
  expect,
  request as playwrightRequest,
  test as base,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from '@playwright/test';

export { expect } from '@playwright/test';

export const PASSWORD = 'a long pass phrase for an e2e journey';

type Role = 'admin' | 'member' | 'viewer';

export interface Person {
  id: string;
  name: string;
  email: string;
  role: Role;
  /** The person's own API session; it sends the app's Origin, as the browser app does. */
  api: APIRequestContext;
  /** A new browser (context and page) signed in as this person. */
  signIn(options?: BrowserContextOptions): Promise<Page>;
}

export interface Organization {
  id: string;
  name: string;
  /** The people in the order given; the first created the organization and is its admin. */
  people: Person[];
  person(name: string): Person;
  /** A person's user id, by name. */
  idOf(name: string): string;
  close(): Promise<void>;
}

export interface OrganizationSetup {
  /** Defaults to a unique "E2E Freight …". */
  name?: string;
  /** Names (members) or { name, role }; the first is the admin who creates the organization. */
  people: (string | { name: string; role: Role })[];
}

let counter = 0;
/** An address no other run or journey uses, readable in the server's logs. */
export function uniqueEmail(name: string): string {
  counter += 1;
  const who = name.toLowerCase().replace(/[^a-z]+/g, '.');
  return `${who}.${Date.now().toString(36)}.${process.pid}.${counter}@e2e.example`;
}

/** Signs `name` up through the API; the session stays in the returned request context. */
export async function signUpPerson(baseURL: string, name: string, email = uniqueEmail(name)) {
  const api = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  const response = await api.post('/api/auth/signup', { data: { email, password: PASSWORD, name } });
  expect(response.status(), `sign-up of ${name}: ${await response.text()}`).toBe(201);
  const { user } = (await response.json()) as { user: { id: string; name: string; email: string } };
  return { api, user };
}

export async function createOrganization(
  browser: Browser,
  baseURL: string,
  setup: OrganizationSetup,
): Promise<Organization> {
  const contexts: BrowserContext[] = [];
  const wanted = setup.people.map((entry) =>
    typeof entry === 'string' ? { name: entry, role: 'member' as Role } : entry,
  );
  const people: Person[] = [];
  const personOf = (api: APIRequestContext, user: { id: string; name: string; email: string }, role: Role) => ({
    ...user,
    role,
    api,
    signIn: async (options: BrowserContextOptions = {}) => {
      const context = await browser.newContext({ baseURL, ...options, storageState: await api.storageState() });
      contexts.push(context);
      return context.newPage();
    },
  });

  const [first, ...others] = wanted;
  if (!first) throw new Error('an organization needs at least one person');
  const admin = await signUpPerson(baseURL, first.name);
  people.push(personOf(admin.api, admin.user, 'admin'));
  const created = await admin.api.post('/api/orgs', {
    data: { name: setup.name ?? `E2E Freight ${Date.now().toString(36)}.${++counter}` },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { organization } = (await created.json()) as { organization: { id: string; name: string } };

  for (const other of others) {
    const invite = await admin.api.post(`/api/orgs/${organization.id}/invites`, { data: { role: other.role } });
    expect(invite.status(), await invite.text()).toBe(201);
    const token = new URL(((await invite.json()) as { url: string }).url).pathname.split('/').pop()!;
    const joined = await signUpPerson(baseURL, other.name);
    const accepted = await joined.api.post(`/api/invites/${token}/accept`);
    expect(accepted.status(), await accepted.text()).toBe(200);
    people.push(personOf(joined.api, joined.user, other.role));
  }

  // The organization as its admin sees it: everyone is a member with the role they were invited with.
  const { members } = (await (await admin.api.get(`/api/orgs/${organization.id}/members`)).json()) as {
    members: { userId: string; role: Role }[];
  };
  expect(members.map((m) => [m.userId, m.role]).sort()).toEqual(people.map((p) => [p.id, p.role]).sort());

  const person = (name: string) => {
    const found = people.find((p) => p.name === name);
    if (!found) throw new Error(`${name} is not in this organization`);
    return found;
  };
  return {
    ...organization,
    people,
    person,
    idOf: (name) => person(name).id,
    close: async () => {
      await Promise.all(contexts.map((context) => context.close()));
      await Promise.all(people.map((p) => p.api.dispose()));
    },
  };
}

export type NewOrganization = (setup: OrganizationSetup) => Promise<Organization>;

/**
 * Every uncaught error in any page of any browser a journey opens, in the order they happened. The worker's browser
 * is wrapped so contexts a spec opens itself (`browser.newContext()`, `createOrganization` in a `beforeAll`) are
 * watched too, not only the `page` fixture's.
 */
interface PageErrors {
  seen: string[];
}

export const test = base.extend<
  { newOrganization: NewOrganization; noUncaughtErrors: void },
  { pageErrors: PageErrors }
>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern: none.
  pageErrors: [async ({}, use) => use({ seen: [] }), { scope: 'worker' }],
  browser: [
    async ({ browser, pageErrors }, use) => {
      const newContext = browser.newContext.bind(browser);
      const watch = (context: BrowserContext) =>
        context.on('weberror', (error) =>
          pageErrors.seen.push(`${error.page()?.url() ?? 'a page'}: ${error.error().stack ?? error.error().message}`),
        );
      browser.newContext = async (options) => {
        const context = await newContext(options);
        watch(context);
        return context;
      };
      await use(browser);
    },
    { scope: 'worker' },
  ],
  // A journey fails when a page threw an error nothing caught, even if every assertion held.
  noUncaughtErrors: [
    async ({ pageErrors }, use) => {
      pageErrors.seen.length = 0;
      await use();
      expect(pageErrors.seen, 'uncaught errors in the browser').toEqual([]);
    },
    { auto: true },
  ],
  newOrganization: async ({ browser, baseURL }, use) => {
    const made: Organization[] = [];
    await use(async (setup) => {
      const organization = await createOrganization(browser, baseURL!, setup);
      made.push(organization);
      return organization;
    });
    for (const organization of made) await organization.close();
  },
});
