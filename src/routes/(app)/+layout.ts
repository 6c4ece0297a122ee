// Everything in (app) needs a signed-in user: checked once here, sent to the login page otherwise.
import { redirect } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api/client';
import { withQuery } from '$lib/api/paths';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ url }) => {
  try {
    return { me: await api.get('/api/me') };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      redirect(307, withQuery('/login', { next: url.pathname + url.search }));
    }
    throw error;
  }
};
