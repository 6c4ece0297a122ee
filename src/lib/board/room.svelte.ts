// A live board in the browser: the Y.Doc synced through y-websocket's WebsocketProvider, kept across reloads and
// offline spells by y-indexeddb, with reactive views of the agenda and the room (read from the doc as components
// render them, see board-view.ts), who is here, and what is saved.
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { itemsOf, roomOf } from '../../../server/domain/board.ts';
import { saveState, type SaveState } from '../../../server/domain/durability.ts';
import { NOTICE_MESSAGE_TYPE } from '../../../server/domain/update-quota.ts';
import * as decoding from 'lib0/decoding';
import { isUuid } from '../api/link-values.ts';
import { InvalidSegmentError } from '../api/paths.ts';
import { CommitTracker } from './commit-tracker.ts';
import { BoardView, type ItemView, type RoomFields } from './board-view.ts';
import { assignColors, colorFor, type PersonColor } from './colors.ts';

export interface Peer {
  userId: string;
  name: string;
  color: string;
  /** Items this person is looking at (one per open tab). */
  itemIds: string[];
  /** The item whose notes they are typing in, if any. */
  editingItemId: string | null;
  readOnly: boolean;
  /** This browser tab. */
  self: boolean;
}

/** Edits made through the board's buttons: what the board's undo manager tracks. */
export const LOCAL_EDIT = Symbol('local-board-edit');

/** What the room around a board wants to hear from it. */
export interface BoardHooks {
  /** The first sync with the server is done, or the local copy loaded (offline). */
  loaded?: () => void;
  /**
   * The server says the review itself changed: after the board loaded, its revision or its facilitator moved on
   * the board, or the server closed our connection because our role changed (it reconnects by itself).
   */
  reviewChanged?: () => void;
}

/** How long an unacknowledged change may wait before the room says "not saved". */
const SAVE_PATIENCE_MS = 5_000;

export class BoardConnection {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly commits: CommitTracker;
  readonly undoManager: Y.UndoManager;
  readonly #local: IndexeddbPersistence;
  readonly #view = new BoardView(this.doc);

  peers = $state<Peer[]>([]);
  connected = $state(false);
  /** The first sync with the server is done (or the local copy loaded, when offline). */
  loaded = $state(false);
  /** Set when the server refused or ended the connection for good (no reconnect). */
  refused = $state<{ code: number; reason: string } | null>(null);
  /** The server's latest word about a change it did not take (too large, not allowed), to show the person. */
  notice = $state<{ message: string; at: number } | null>(null);
  canUndo = $state(false);
  canRedo = $state(false);
  now = $state(Date.now());
  #covered = $state(true);
  #unsavedSince: number | null = null;
  #ticker: ReturnType<typeof setInterval>;

  constructor(
    readonly reviewId: string,
    readonly user: { id: string; name: string },
    readonly readOnly: boolean,
    hooks: BoardHooks = {},
  ) {
    // y-websocket appends the room name to the URL as it is: only an id that needs no encoding may go there.
    if (!isUuid(reviewId)) throw new InvalidSegmentError(reviewId);
    this.#local = new IndexeddbPersistence(`lastmile-board-${reviewId}`, this.doc);
    const markLoaded = () => {
      if (this.loaded) return;
      this.loaded = true;
      hooks.loaded?.();
    };
    void this.#local.whenSynced.then(() => {
      if (this.agenda.length > 0) markLoaded();
    });
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    this.provider = new WebsocketProvider(`${scheme}://${location.host}/sync`, reviewId, this.doc, {
      params: { acks: '1' },
    });
    this.commits = new CommitTracker(this.provider, this.doc);
    // Lastmile's notices (JSON with a sentence for the person), e.g. a paste over the quota that was undone.
    this.provider.messageHandlers[NOTICE_MESSAGE_TYPE] = (_encoder, decoder) => {
      try {
        const notice = JSON.parse(decoding.readVarString(decoder)) as { message?: unknown };
        if (typeof notice.message === 'string') this.notice = { message: notice.message, at: Date.now() };
      } catch {
        // A notice we cannot read says nothing we could show.
      }
    };
    this.undoManager = new Y.UndoManager([itemsOf(this.doc), roomOf(this.doc)], {
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- Yjs's option, not component state
      trackedOrigins: new Set([LOCAL_EDIT]),
      captureTimeout: 300,
    });

    this.#announceColor(colorFor(user.id));

    this.doc.on('update', () => this.#updateSaved());
    this.#updateSaved();
    this.provider.on('status', ({ status }) => (this.connected = status === 'connected'));
    this.provider.on('sync', (synced) => {
      if (synced) markLoaded();
    });
    // The server counts changes to the review itself on the board (it went live, closed, was renamed or rescheduled,
    // roles moved), and records the facilitator there: a room already open hears of them at once.
    roomOf(this.doc).observe((event) => {
      if (this.loaded && (event.keysChanged.has('reviewRevision') || event.keysChanged.has('facilitatorId')))
        hooks.reviewChanged?.();
    });
    this.provider.on('connection-close', (event) => {
      // 44xx closes are final (y-websocket does not reconnect): say why instead of spinning.
      if (event && event.code >= 4400 && event.code < 4500) this.refused = { code: event.code, reason: event.reason };
      // 4205: our role changed; the provider reconnects, and the room reloads what we may do.
      if (event?.code === 4205) hooks.reviewChanged?.();
    });
    this.commits.onAck(() => this.#updateSaved());
    this.provider.awareness.on('change', () => this.#readPeers());
    const stackChanged = () => {
      this.canUndo = this.undoManager.undoStack.length > 0;
      this.canRedo = this.undoManager.redoStack.length > 0;
    };
    this.undoManager.on('stack-item-added', stackChanged);
    this.undoManager.on('stack-item-popped', stackChanged);
    this.undoManager.on('stack-cleared', stackChanged);
    this.#ticker = setInterval(() => (this.now = Date.now()), 1_000);
    // A socket can linger for a long time after the network is gone; trust the browser's word instead.
    window.addEventListener('offline', this.#wentOffline);
    window.addEventListener('online', this.#cameOnline);
  }

  #wentOffline = () => this.provider.disconnect();
  #cameOnline = () => {
    if (!this.refused) this.provider.connect();
  };

  /** The agenda in order; each item reads its parts from the doc when rendered. */
  get agenda(): ItemView[] {
    return this.#view.agenda;
  }

  /** Where the room is, its phase, timer and follow-me, field by field. */
  get room(): RoomFields {
    return this.#view.room;
  }

  item(id: string | null): ItemView | null {
    return this.#view.item(id);
  }

  #updateSaved(): void {
    const covered = this.commits.covered;
    if (!covered && this.#unsavedSince === null) this.#unsavedSince = Date.now();
    if (covered) this.#unsavedSince = null;
    this.#covered = covered;
  }

  get saveState(): SaveState {
    return saveState({
      connected: this.connected,
      readOnly: this.readOnly,
      covered: this.#covered,
      unsavedSinceMs: this.#unsavedSince,
      nowMs: this.now,
      patienceMs: SAVE_PATIENCE_MS,
    });
  }

  #readPeers(): void {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local tally; `peers` is the state
    const byUser = new Map<string, Peer>();
    for (const [clientId, state] of this.provider.awareness.getStates()) {
      const user = state.user as { id?: string; name?: string; color?: string } | undefined;
      // Only states the server stamped with an account are shown.
      const userId = clientId === this.doc.clientID ? this.user.id : user?.id;
      if (!userId) continue;
      const peer = byUser.get(userId) ?? {
        userId,
        name: user?.name ?? this.user.name,
        color: colorFor(userId).solid,
        itemIds: [],
        editingItemId: null,
        readOnly: state.readOnly === true,
        self: userId === this.user.id,
      };
      if (typeof state.itemId === 'string' && !peer.itemIds.includes(state.itemId)) peer.itemIds.push(state.itemId);
      if (typeof state.editingItemId === 'string') peer.editingItemId = state.editingItemId;
      byUser.set(userId, peer);
    }
    // Everyone in the room gets a color of their own; each browser works out the same ones from the same ids.
    const colors = assignColors(byUser.keys());
    for (const peer of byUser.values()) peer.color = colors.get(peer.userId)!.solid;
    this.#announceColor(colors.get(this.user.id) ?? colorFor(this.user.id));
    this.peers = [...byUser.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
  }

  /** My cursor in the notes wears my avatar's color. */
  #announceColor(color: PersonColor): void {
    const awareness = this.provider.awareness;
    const user = awareness.getLocalState()?.user as { color?: string } | undefined;
    if (user?.color === color.solid) return;
    awareness.setLocalStateField('user', { name: this.user.name, color: color.solid, colorLight: color.light });
  }

  /** What this tab shows to others: the item it looks at, and whether it is typing in its notes. */
  setPresence(itemId: string | null, editing: boolean): void {
    const awareness = this.provider.awareness;
    awareness.setLocalStateField('itemId', itemId);
    awareness.setLocalStateField('editingItemId', editing ? itemId : null);
  }

  /** Applies a board edit as this user's own, undoable change. */
  edit(change: (doc: Y.Doc) => void): void {
    if (this.readOnly) return;
    this.doc.transact(() => change(this.doc), LOCAL_EDIT);
  }

  isPresent(userId: string): boolean {
    return this.peers.some((peer) => peer.userId === userId);
  }

  /** Connects again after going offline on purpose (or being dropped). */
  reconnect(): void {
    this.refused = null;
    this.provider.connect();
  }

  destroy(): void {
    clearInterval(this.#ticker);
    window.removeEventListener('offline', this.#wentOffline);
    window.removeEventListener('online', this.#cameOnline);
    this.undoManager.destroy();
    this.provider.destroy();
    void this.#local.destroy();
    this.doc.destroy();
  }
}
