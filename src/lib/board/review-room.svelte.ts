// The review room's state, for the page and its parts: the review as the API says it, the live board, the
// organization's live portfolio (names, metrics), what this person looks at, and the room's actions. What the page
// shows is derived here from those, and the board's events (a new pivot, a follow-me session, the review changing
// on the server) are handled as they arrive: no component copies state into state.
import * as Y from 'yjs';
import { itemsOf, roomOf, setCurrentItem, setFollow, type Phase } from '../../../server/domain/board.ts';
import { api } from '../api/client.ts';
import type { Review } from '../api/types.ts';
import { LivePortfolio } from '../portfolio/live-portfolio.svelte.ts';
import type { Session } from '../session.svelte.ts';
import { boardRights, NO_RIGHTS } from './rights.ts';
import { BoardConnection } from './room.svelte.ts';
import { itemForPhase, phaseToFollow, roomStateOf } from './room-state.ts';

/** How long the notice of a pivot that arrived mid-meeting stays. */
const TOAST_MS = 8_000;

export class ReviewRoom {
  readonly reviewId: string;
  readonly session: Session;
  review = $state<Review | null>(null);
  /** Why the review could not be loaded. */
  error = $state<unknown>(null);
  /** Why the last action (a phase change, start, close, hand-over, dismissal) failed. */
  actionError = $state<unknown>(null);
  busy = $state(false);
  board = $state.raw<BoardConnection | null>(null);
  live = $state.raw<LivePortfolio | null>(null);
  /** The item this person picked, when they are not following the facilitator. */
  selected = $state<string | null>(null);
  /** Following the facilitator's follow-me, but looking elsewhere. */
  detached = $state(false);
  /** Typing in the notes of the item looked at. */
  editing = $state(false);
  /** A pivot that just arrived mid-meeting. */
  toast = $state<{ itemIds: string[]; text: string } | null>(null);

  readonly members = $derived(this.live?.members ?? []);
  readonly portfolio = $derived(this.live?.data ?? null);
  readonly canFacilitate = $derived(this.review?.me.canFacilitate ?? false);
  readonly canEdit = $derived(this.review ? !this.review.me.readOnly : false);
  /** The board controls shown are the writes the server's permission table would take from me. */
  readonly rights = $derived(this.review ? boardRights(this.review.me, this.userId) : NO_RIGHTS);
  readonly closedAt = $derived(this.review?.status === 'closed' ? (this.review.closedAt ?? null) : null);
  readonly follow = $derived(this.board?.room.follow ?? null);
  readonly leading = $derived(this.follow !== null && this.follow.by === this.userId);
  readonly following = $derived(this.follow !== null && !this.leading && !this.detached);
  readonly viewedId = $derived.by(() => {
    const board = this.board;
    if (!board) return null;
    if (this.following || this.leading) return board.room.currentItemId;
    const ids = board.agenda.map((item) => item.id);
    if (this.selected && ids.includes(this.selected)) return this.selected;
    return board.room.currentItemId ?? ids[0] ?? null;
  });
  /** One reading of where the room stands: the phase bar, the agenda's "now", the item header and the pivot banner. */
  readonly roomState = $derived(
    this.board && this.review ? roomStateOf(this.review.status, this.board.room, this.board.agenda) : null,
  );
  readonly openPivots = $derived(this.roomState?.openPivots ?? []);
  /** The banner does not repeat the reason the triage card below already gives; what just pivoted comes first. */
  readonly otherPivots = $derived.by(() => {
    const fresh = (id: string) => Number(this.toast?.itemIds.includes(id) ?? 0);
    return this.openPivots.filter((item) => item.id !== this.viewedId).sort((a, b) => fresh(b.id) - fresh(a.id));
  });
  readonly #facilitator = $derived(this.review?.participants.find((p) => p.role === 'facilitator') ?? null);
  readonly facilitatorAway = $derived(
    !!this.board && this.board.loaded && (!this.#facilitator || !this.board.isPresent(this.#facilitator.userId)),
  );

  #toastTimer: ReturnType<typeof setTimeout> | undefined;
  #seenPivots: Set<string> | null = null;
  #closeBoard: (() => void) | null = null;
  #closePortfolio: (() => void) | null = null;

  constructor(reviewId: string, session: Session) {
    this.reviewId = reviewId;
    this.session = session;
  }

  /** The signed-in person. */
  get userId(): string {
    return this.session.user.id;
  }

  readonly nameOf = (userId: string | null): string | null =>
    userId ? (this.members.find((member) => member.userId === userId)?.name ?? null) : null;

  /** Loads the review and opens its board; returns what closes everything again. */
  open(): () => void {
    void this.reload();
    return () => {
      clearTimeout(this.#toastTimer);
      this.#closeBoard?.();
      this.#closePortfolio?.();
    };
  }

  async reload(): Promise<void> {
    try {
      this.#show((await api.get('/api/reviews/{reviewId}', { path: { reviewId: this.reviewId } })).review);
    } catch (e) {
      this.error = e;
    }
  }

  /** A review from the server: the organization's portfolio and the board follow it, once per org and access. */
  #show(review: Review): void {
    const before = this.review;
    this.review = review;
    if (before?.organizationId !== review.organizationId) this.#openPortfolio(review.organizationId);
    if (!this.board || before?.me.readOnly !== review.me.readOnly) this.#openBoard(review);
  }

  #openPortfolio(orgId: string): void {
    this.#closePortfolio?.();
    this.session.activeOrganizationId = orgId;
    // Metrics stay live in the room: a reading pushed mid-meeting updates the status shown.
    const portfolio = new LivePortfolio(orgId);
    this.live = portfolio;
    void portfolio.load();
    this.#closePortfolio = portfolio.connect();
  }

  #openBoard(review: Review): void {
    this.#closeBoard?.();
    this.#seenPivots = null;
    const board = new BoardConnection(review.id, this.session.user, review.me.readOnly, {
      loaded: () => this.#notePivots(board),
      reviewChanged: () => void this.reload(),
    });
    const onItems = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      // Pivots come and go with items and their triage entry.
      if (events.some((event) => event.path.length === 0 || event.path.length === 1)) this.#notePivots(board);
    };
    // A new follow-me session pulls everyone back in.
    const onRoom = (event: Y.YMapEvent<unknown>) => {
      if (event.keysChanged.has('follow') && roomOf(board.doc).get('follow')) this.detached = false;
    };
    itemsOf(board.doc).observeDeep(onItems);
    roomOf(board.doc).observe(onRoom);
    this.board = board;
    this.#closeBoard = () => {
      itemsOf(board.doc).unobserveDeep(onItems);
      roomOf(board.doc).unobserve(onRoom);
      board.destroy();
    };
  }

  /** Pivots open when the board loaded are known; one that opens later is announced. */
  #notePivots(board: BoardConnection): void {
    if (!board.loaded) return;
    const open = board.agenda.filter((item) => item.triage?.state === 'active');
    const key = (item: (typeof open)[number]) => `${item.id}:${item.triage!.pivotedAt}`;
    const seen = this.#seenPivots;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- what was announced, never rendered
    this.#seenPivots = new Set(open.map(key));
    const fresh = seen ? open.filter((item) => !seen.has(key(item))) : [];
    if (!fresh.length) return;
    this.toast = {
      itemIds: fresh.map((item) => item.id),
      text: `Agenda pivoted: ${fresh.map((item) => item.triage!.why).join('; ')}`,
    };
    clearTimeout(this.#toastTimer);
    this.#toastTimer = setTimeout(() => (this.toast = null), TOAST_MS);
  }

  /** Looks at an item; leading the room, takes the room there. */
  select(itemId: string): void {
    const board = this.board;
    if (!board) return;
    this.selected = itemId;
    if (this.leading && this.rights.moveRoom) {
      // Leading the room: where the facilitator looks, everyone looks.
      void this.moveRoom(itemId);
      return;
    }
    if (this.follow && !this.leading) this.detached = itemId !== board.room.currentItemId;
  }

  toggleFollow(): void {
    const board = this.board;
    if (!board) return;
    const follow = this.follow;
    const itemId = board.room.currentItemId ?? this.viewedId ?? '';
    board.edit((doc) => setFollow(doc, follow ? null : { itemId, by: this.userId }));
  }

  async #act(run: () => Promise<{ review: Review }>): Promise<void> {
    this.busy = true;
    this.actionError = null;
    try {
      this.#show((await run()).review);
    } catch (e) {
      this.actionError = e;
    } finally {
      this.busy = false;
    }
  }

  #setPhase = (phase: Phase) =>
    this.#act(() => api.put('/api/reviews/{reviewId}/phase', { path: { reviewId: this.reviewId }, body: { phase } }));

  /** Takes the room to an item; the phase follows when the item belongs to another one. */
  async moveRoom(itemId: string): Promise<void> {
    const board = this.board;
    if (!board || !this.rights.moveRoom) return;
    board.edit((doc) => setCurrentItem(doc, itemId));
    const item = board.item(itemId);
    const phase =
      item && this.review?.status !== 'closed' && this.canFacilitate ? phaseToFollow(item, board.room.phase) : null;
    if (phase) await this.#setPhase(phase);
  }

  /** A new phase takes the room to its first item, unless the room is on one of that phase already. */
  async changePhase(phase: Phase): Promise<void> {
    await this.#setPhase(phase);
    const board = this.board;
    if (!board || !this.rights.moveRoom || this.actionError) return;
    const itemId = itemForPhase(board.agenda, board.room.currentItemId, phase);
    if (itemId) {
      board.edit((doc) => setCurrentItem(doc, itemId));
      this.selected = itemId;
    }
  }

  async goToTriage(): Promise<void> {
    const board = this.board;
    const first = this.openPivots[0];
    if (!board || !first) return;
    board.edit((doc) => setCurrentItem(doc, first.id));
    this.selected = first.id;
    await this.#setPhase('triage');
  }

  start = () => this.#act(() => api.post('/api/reviews/{reviewId}/start', { path: { reviewId: this.reviewId } }));
  close = () => this.#act(() => api.post('/api/reviews/{reviewId}/close', { path: { reviewId: this.reviewId } }));
  handOver = (userId: string) =>
    this.#act(() =>
      api.put('/api/reviews/{reviewId}/participants/{userId}', {
        path: { reviewId: this.reviewId, userId },
        body: { role: 'facilitator' },
      }),
    );

  async dismissPivot(itemId: string): Promise<void> {
    this.actionError = null;
    try {
      await api.post('/api/reviews/{reviewId}/items/{itemId}/dismiss-pivot', {
        path: { reviewId: this.reviewId, itemId },
      });
    } catch (e) {
      this.actionError = e;
    }
  }
}
