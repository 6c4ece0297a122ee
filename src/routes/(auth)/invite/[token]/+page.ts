// The invitation and, if someone is signed in, who: both decide what the page offers. A token that is not one
// the server could have made is refused here, before any request.
import { api, ApiError } from '$lib/api/client';
import { INVALID_INVITE, isToken } from '$lib/api/link-values';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params }) => {
  if (!isToken(params.token)) {
    return { token: null, invite: { ok: false as const, message: `${INVALID_INVITE}.` }, me: null };
  }
  const token = params.token;
  const [invite, me] = await Promise.all([
    api.get('/api/invites/{token}', { path: { token } }).then(
      (body) => ({ ok: true as const, invite: body.invite }),
      (error: unknown) => ({
        ok: false as const,
        message: error instanceof ApiError ? error.message : 'This invitation could not be loaded.',
      }),
    ),
    api.get('/api/me').catch(() => null),
  ]);
  return { token, invite, me };
};
