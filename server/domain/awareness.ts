// What a presence (awareness) state on a review board may hold: the fields Lastmile's client announces (its user's
// colors, the item it looks at or types in, its text cursor), each checked and bounded, plus the fields the server
// stamps (who the user is, whether they may edit). Everything else a client sends is dropped, so a state can carry
// neither CSS nor markup to the other participants, nor more than about a kilobyte.

export const AWARENESS_LIMITS = {
  /** Awareness client ids one connection may announce: a browser tab uses one, and a reconnect takes it along. */
  clientIdsPerConnection: 4,
  /** Characters of one client's raw state that are read at all; a longer state is ignored without being parsed. */
  rawStateChars: 4_096,
  /** Characters of an item id (board ids are UUIDs) and of a root type name in a cursor. */
  idChars: 64,
} as const;

/** The fields the server sets on every state, from the connection's authenticated user and rights. */
export interface AwarenessStamp {
  userId: string;
  userName: string;
  readOnly: boolean;
}

/** `#rrggbb`: a color that can only ever be a color wherever a client puts it (a style attribute, a CSS variable). */
const SOLID_COLOR = /^#[0-9a-f]{6}$/i;
/** `#rrggbb` or `#rrggbbaa` (the light variant of a cursor's selection is translucent). */
const COLOR_WITH_ALPHA = /^#[0-9a-f]{6}(?:[0-9a-f]{2})?$/i;

function isBoundedId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= AWARENESS_LIMITS.idChars;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A Yjs ID ({ client, clock }), rebuilt from its two numbers; undefined if it is not one. */
function readYjsId(value: unknown): { client: number; clock: number } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { client, clock } = value as { client?: unknown; clock?: unknown };
  return isCount(client) && isCount(clock) ? { client, clock } : undefined;
}

/**
 * A relative position as Yjs serializes it into JSON (`type` or `tname` names the text, `item` the character,
 * `assoc` the side); undefined if it is anything else.
 */
function readRelativePosition(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { type, tname, item, assoc } = value as Record<string, unknown>;
  const position: Record<string, unknown> = {};
  if (type != null) {
    const id = readYjsId(type);
    if (!id) return undefined;
    position.type = id;
  } else if (type === null) position.type = null;
  if (tname != null) {
    if (!isBoundedId(tname)) return undefined;
    position.tname = tname;
  } else if (tname === null) position.tname = null;
  if (item != null) {
    const id = readYjsId(item);
    if (!id) return undefined;
    position.item = id;
  } else if (item === null) position.item = null;
  if (assoc != null) {
    if (typeof assoc !== 'number' || !Number.isSafeInteger(assoc)) return undefined;
    position.assoc = assoc;
  }
  return position;
}

/** The text cursor y-codemirror announces: `{ anchor, head }`, or null when the editor lost focus. */
function readCursor(value: unknown): Record<string, unknown> | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { anchor, head } = value as Record<string, unknown>;
  const start = readRelativePosition(anchor);
  const end = readRelativePosition(head);
  return start && end ? { anchor: start, head: end } : undefined;
}

/** An item id or null (looking at nothing, typing nowhere); undefined if it is neither. */
function readItemRef(value: unknown): string | null | undefined {
  if (value === null) return null;
  return isBoundedId(value) ? value : undefined;
}

/**
 * The state the room keeps and relays for a client's announced `state`: only the known fields that are valid,
 * stamped with the connection's user and rights. A field that is invalid is left out, not the whole state (the
 * person stays present).
 */
export function sanitizeAwarenessState(state: Record<string, unknown>, stamp: AwarenessStamp): Record<string, unknown> {
  const announced =
    typeof state.user === 'object' && state.user !== null ? (state.user as Record<string, unknown>) : {};
  const user: Record<string, unknown> = { id: stamp.userId, name: stamp.userName };
  if (typeof announced.color === 'string' && SOLID_COLOR.test(announced.color)) user.color = announced.color;
  if (typeof announced.colorLight === 'string' && COLOR_WITH_ALPHA.test(announced.colorLight))
    user.colorLight = announced.colorLight;
  const clean: Record<string, unknown> = { user, readOnly: stamp.readOnly };
  const itemId = readItemRef(state.itemId);
  if (itemId !== undefined) clean.itemId = itemId;
  const editingItemId = readItemRef(state.editingItemId);
  if (editingItemId !== undefined) clean.editingItemId = editingItemId;
  const cursor = readCursor(state.cursor);
  if (cursor !== undefined) clean.cursor = cursor;
  return clean;
}
