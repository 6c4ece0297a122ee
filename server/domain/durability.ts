// What "saved" means for a board client: every change it has is covered by what the server committed.
// The server sends the state vector of its committed log as a message of Lastmile's own type.

/** y-websocket leaves 0–3 to itself; Lastmile's acknowledgement uses a type stock clients never see. */
export const ACK_MESSAGE_TYPE = 100;

/** True when every client's clock in `local` is at or below its clock in `committed`. */
export function coveredBy(local: ReadonlyMap<number, number>, committed: ReadonlyMap<number, number>): boolean {
  for (const [client, clock] of local) if (clock > (committed.get(client) ?? 0)) return false;
  return true;
}

export type SaveState = 'saved' | 'saving' | 'not saved' | 'offline' | 'read-only';

/**
 * The save state a room shows: offline when disconnected (edits are kept locally), saving while some change is
 * not yet acknowledged, and "not saved" when that has lasted longer than `patienceMs` (the server cannot reach
 * its database).
 */
export function saveState(input: {
  connected: boolean;
  readOnly: boolean;
  covered: boolean;
  unsavedSinceMs: number | null;
  nowMs: number;
  patienceMs: number;
}): SaveState {
  if (!input.connected) return 'offline';
  if (input.readOnly) return 'read-only';
  if (input.covered) return 'saved';
  if (input.unsavedSinceMs !== null && input.nowMs - input.unsavedSinceMs > input.patienceMs) return 'not saved';
  return 'saving';
}
