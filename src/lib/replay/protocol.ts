// Messages between the replay page and its worker. The page streams the update log in as it downloads (base64, as
// the history API sends it) and asks for boards; the worker answers with plain views, never Yjs types, so the
// page renders without touching Yjs.
//
//   page → worker   { type: 'ingest', updates: string[] }      the next updates of the log, in order
//                   { type: 'seek', id, count }                 the board after `count` updates
//                   { type: 'state', id, state: string }        a board the server rebuilt (before the log is in)
//   worker → page   { type: 'ingested', count }                 how many updates it holds now (after each slice)
//                   { type: 'frame', id, frame, ms }            the board asked for, and how long it took
//                   { type: 'failed', id, message }             a message it could not handle
import type { BoardFrame } from './engine.ts';

export type ToWorker =
  | { type: 'ingest'; updates: string[] }
  | { type: 'seek'; id: number; count: number }
  | { type: 'state'; id: number; state: string };

export type FromWorker =
  | { type: 'ingested'; count: number }
  | { type: 'frame'; id: number; frame: BoardFrame; ms: number }
  | { type: 'failed'; id: number | null; message: string };

export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
