// Where to go once signed in: join the organization of a pending invite, else back where the user was.
import { goto } from '$app/navigation';
import { api } from '$lib/api/client';
import type { Organization } from '$lib/api/types';
import { rememberOrganization } from '$lib/session.svelte';

/** Only same-site paths, so a crafted ?next= cannot send the user elsewhere. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export async function continueAfterSignIn(params: URLSearchParams): Promise<void> {
  const invite = params.get('invite');
  if (invite) {
    const { organization } = await api.post<{ organization: Organization }>(`/api/invites/${invite}/accept`);
    rememberOrganization(organization.id);
    await goto(`/orgs/${organization.id}`);
    return;
  }
  await goto(safeNext(params.get('next')));
}

/** Carries the invite and next parameters between the login and signup pages. */
export function withParams(path: string, params: URLSearchParams): string {
  const kept = new URLSearchParams();
  for (const key of ['invite', 'next']) {
    const value = params.get(key);
    if (value) kept.set(key, value);
  }
  const query = kept.toString();
  return query ? `${path}?${query}` : path;
}
