// Who is signed in and which organizations they can switch between; shared with pages through context.
import { createContext } from 'svelte';
import { api } from './api/client';
import type { Me, Organization, User } from './api/types';

const LAST_ORG_KEY = 'lastmile:last-org';

export class Session {
  user = $state<User>() as User;
  organizations = $state<Organization[]>([]);
  /** The organization a page outside /orgs/:orgId belongs to (a review room), for the header. */
  activeOrganizationId = $state<string | undefined>();

  constructor(me: Me) {
    this.user = me.user;
    this.organizations = me.organizations;
  }

  /** Reloads the user and their organizations, e.g. after creating or joining one. */
  async refresh(): Promise<void> {
    const me = await api.get('/api/me');
    this.user = me.user;
    this.organizations = me.organizations;
  }

  organization(id: string | undefined): Organization | undefined {
    return this.organizations.find((org) => org.id === id);
  }

  async logout(): Promise<void> {
    await api.post('/api/auth/logout');
  }

  /** Ends every session of this user, on every device, and closes their open review rooms. */
  async logoutEverywhere(): Promise<void> {
    await api.post('/api/auth/logout-everywhere');
  }
}

export const [getSession, setSession] = createContext<Session>();

export function rememberOrganization(id: string): void {
  try {
    localStorage.setItem(LAST_ORG_KEY, id);
  } catch {
    // Storage may be refused (private browsing); switching still works, it is just not remembered.
  }
}

/** The organization to open by default: the last one used if still a member, else the first. */
export function defaultOrganization(organizations: Organization[]): Organization | undefined {
  let last: string | null = null;
  try {
    last = localStorage.getItem(LAST_ORG_KEY);
  } catch {
    last = null;
  }
  return organizations.find((org) => org.id === last) ?? organizations[0];
}
