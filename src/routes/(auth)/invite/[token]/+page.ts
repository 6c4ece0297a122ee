// The invitation and, if someone is signed in, who: both decide what the page offers.
import { ApiError, api } from '$lib/api/client';
import type { InvitePreview, Me } from '$lib/api/types';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params }) => {
  const [invite, me] = await Promise.all([
    api.get<{ invite: InvitePreview }>(`/api/invites/${params.token}`).then(
      (body) => ({ ok: true as const, invite: body.invite }),
      (error: unknown) => ({
        ok: false as const,
        message: error instanceof ApiError ? error.message : 'This invitation could not be loaded.',
      }),
    ),
    api.get<Me>('/api/me').catch(() => null),
  ]);
  return { token: params.token, invite, me };
};
