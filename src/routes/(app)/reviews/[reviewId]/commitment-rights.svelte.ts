// Who may tick a commitment done, as the server decides it (mayChangeActionItem in server/domain/action-items.ts):
// its owner, an admin, or whoever facilitated the review that recorded it. That review is an earlier one of the
// series, not this board, so whether I facilitated it is asked of the API, once per action item and per review.
import { mayChangeActionItem } from '$server/domain/action-items';
import type { CommitmentEntry } from '$server/domain/board';
import { api } from '$lib/api/client';
import { SvelteMap } from 'svelte/reactivity';

export class CommitmentRights {
  /** Action item id → whether I facilitated the review that recorded it; absent until known. */
  readonly #facilitated = new SvelteMap<string, boolean>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- what was asked, never rendered
  readonly #asked = new Set<string>();
  /** Review id → whether I facilitated it. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache of requests; `#facilitated` is the state
  readonly #reviews = new Map<string, Promise<boolean>>();

  /** Finds out, for the entries not asked about yet, whether I facilitated the review each came from. */
  learn(entries: readonly CommitmentEntry[]): void {
    for (const entry of entries) {
      if (this.#asked.has(entry.id)) continue;
      this.#asked.add(entry.id);
      this.#facilitatedOrigin(entry.id).then(
        (facilitated) => this.#facilitated.set(entry.id, facilitated),
        // Unknown stays unknown: the box stays offered and the server decides.
        () => this.#asked.delete(entry.id),
      );
    }
  }

  /** True unless the server would refuse; while the answer is not known yet, true (the server decides). */
  mayMarkDone(entry: CommitmentEntry, me: { userId: string; isAdmin: boolean }): boolean {
    const isOwner = entry.ownerId === me.userId;
    const facilitatesItsReview = this.#facilitated.get(entry.id);
    if (!isOwner && !me.isAdmin && facilitatesItsReview === undefined) return true;
    return mayChangeActionItem({ isOwner, facilitatesItsReview: facilitatesItsReview ?? false, isAdmin: me.isAdmin });
  }

  async #facilitatedOrigin(actionId: string): Promise<boolean> {
    const { action } = await api.get('/api/actions/{actionId}', { path: { actionId } });
    const reviewId = action.reviewId;
    if (!reviewId) return false;
    let known = this.#reviews.get(reviewId);
    if (!known) {
      known = api
        .get('/api/reviews/{reviewId}', { path: { reviewId } })
        .then(({ review }) => review.me.role === 'facilitator');
      this.#reviews.set(reviewId, known);
      known.catch(() => this.#reviews.delete(reviewId));
    }
    return known;
  }
}
