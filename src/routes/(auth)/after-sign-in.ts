// Where to go once signed in: join the organization of a pending invite, else back where the user was.
import { goto } from '$app/navigation';
import { api } from '$lib/api/client';
import { inviteParam, sameSitePath } from '$lib/api/link-values';
import { pagePath } from '$lib/api/paths';
import { rememberOrganization } from '$lib/session.svelte';

/** Only same-site paths, so a crafted ?next= cannot send the user elsewhere. */
export function safeNext(next: string | null): string {
  return sameSitePath(next) ?? '/';
}

/**
 * Accepts the invite (if any) and opens its organization, or goes back to ?next=. Returns false, having made no
 * request, when the invite is not a valid token: the page says so and the user stays signed in where they are.
 */
export async function continueAfterSignIn(params: URLSearchParams): Promise<boolean> {
  const invite = inviteParam(params);
  if (invite.kind === 'invalid') return false;
  if (invite.kind === 'valid') {
    const { organization } = await api.post('/api/invites/{token}/accept', {
      path: { token: invite.token },
    });
    rememberOrganization(organization.id);
    await goto(pagePath`/orgs/${organization.id}`);
    return true;
  }
  await goto(safeNext(params.get('next')));
  return true;
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
