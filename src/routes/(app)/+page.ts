// The home page opens the last used organization, or asks to create the first one.
import { redirect } from '@sveltejs/kit';
import { pagePath } from '$lib/api/paths';
import { defaultOrganization } from '$lib/session.svelte';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
  const { me } = await parent();
  const org = defaultOrganization(me.organizations);
  redirect(307, org ? pagePath`/orgs/${org.id}` : '/orgs/new');
};
