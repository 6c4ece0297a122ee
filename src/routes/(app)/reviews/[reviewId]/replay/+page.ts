// The replay page's load: asks for the replay's opening (summary, first events, names and the first board) while
// the layout loads the session, so the first board needs one round trip once the page renders.
import { isUuid } from '$lib/api/link-values';
import { historySource } from '$lib/replay/source';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ params, url }) => {
  const reviewId = params.reviewId;
  if (!isUuid(reviewId)) return { opening: null };
  const at = url.searchParams.get('at');
  const moment = at === null || at.trim() === '' ? NaN : Number(at);
  const opening = historySource(reviewId).opening!(Number.isFinite(moment) ? Math.round(moment) : null);
  // Failures show in the player, which awaits it.
  opening.catch(() => {});
  return { opening };
};
