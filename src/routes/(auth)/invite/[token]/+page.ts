// The invitation and, if someone is signed in, who: both decide what the page offers. A token that is not one
// the server could have made is refused here, before any request.
import { ApiError, api } from '$lib/api/client';
import { INVALID_INVITE, isToken } from '$lib/api/link-values';
import { apiPath } from '$lib/api/paths';
import type { InvitePreview, Me } from '$lib/api/types';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params }) => {
  if (!isToken(params.token)) {
    return { token: null, invite: { ok: false as const, message: `${INVALID_INVITE}.` }, me: null };
  }
  const token = params.token;
  const [invite, me] = await Promise.all([
    api.get<{ invite: InvitePreview }>(apiPath`/invites/${token}`).then(
      (body) => ({ ok: true as const, invite: body.invite }),
      (error: unknown) => ({
        ok: false as const,
        message: error instanceof ApiError ? error.message : 'This invitation could not be loaded.',
      }),
    ),
    api.get<Me>(apiPath`/me`).catch(() => null),
  ]);
  return { token, invite, me };
};
