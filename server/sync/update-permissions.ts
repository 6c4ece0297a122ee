// Whether a client's document update may be integrated into a room's board, under the permission table
// (server/domain/board-permissions.ts), decided before anything of it touches the room's Y.Doc.
//
// An update is judged as a whole: one write not allowed refuses it all. One that refers to structs the room does
// not have (and does not carry itself) cannot be judged: `incomplete`; it must never be integrated as pending
// structs, since they would integrate unchecked once their predecessors arrived.
//
// Here: the verdict on the writes an update makes, which update-inspection.ts finds in its structs and delete set.
import * as Y from 'yjs';
import { readRoom } from '../domain/board.ts';
import { CONTENT_SEGMENT, formatBoardPath, type BoardPath } from '../domain/board-paths.ts';
import { mayWrite, ruleFor, type BoardWrite, type BoardWriter } from '../domain/board-permissions.ts';
import { refusalFor, type RefusedWrite } from '../domain/board-refusals.ts';
import { valueProblem } from '../domain/board-value-rules.ts';
import { Incomplete, Inspection, Malformed, type DecodedDeleteSet, type Write } from './update-inspection.ts';

export type { RefusedWrite } from '../domain/board-refusals.ts';

export type PermissionVerdict =
  /** Integrate it. `writes` counts the effective writes (0 for an empty sync step 2). */
  | { kind: 'allowed'; writes: number }
  /**
   * Integrate nothing of it: apply it as deleted and put back the values at `restore` (refused-update.ts), and tell
   * the sender `message`.
   */
  | { kind: 'refused'; refused: RefusedWrite[]; message: string; restore: BoardPath[] }
  /** It builds on structs the room does not have: hold it (never integrate it) until they come, or refuse it. */
  | { kind: 'incomplete' }
  /** It does not decode, or refers to itself in ways Yjs cannot integrate. */
  | { kind: 'malformed' };

export interface CheckOptions {
  /** The update decoded already (`Y.decodeUpdate(update)`), to decode it once. */
  decoded?: { structs: (Y.Item | Y.GC | Y.Skip)[]; ds: DecodedDeleteSet };
}

/** Judges `update` from `writer` against the room's `doc`, which it only reads. */
export function checkUpdatePermissions(
  doc: Y.Doc,
  update: Uint8Array,
  writer: BoardWriter,
  options: CheckOptions = {},
): PermissionVerdict {
  let decoded = options.decoded;
  if (!decoded) {
    try {
      decoded = Y.decodeUpdate(update);
    } catch {
      return { kind: 'malformed' };
    }
  }
  try {
    const writes = new Inspection(doc, decoded.structs, decoded.ds).writes();
    return judge(doc, writes, writer);
  } catch (error) {
    if (error instanceof Incomplete) return { kind: 'incomplete' };
    if (error instanceof Malformed) return { kind: 'malformed' };
    throw error;
  }
}

const voteCount = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.floor(value)) : 0;

function judge(doc: Y.Doc, writes: Write[], writer: BoardWriter): PermissionVerdict {
  const refused = new Map<string, RefusedWrite>();
  const refuse = (path: BoardPath, write: BoardWrite, reason: string) => {
    const key = `${write} ${formatBoardPath(path)}`;
    if (!refused.has(key)) refused.set(key, { path: formatBoardPath(path), write, reason });
  };
  for (const { path, write, value, facts } of writes) {
    if (!mayWrite(writer, write, path, facts)) {
      refuse(path, write, refusalFor(path));
      continue;
    }
    const rule = ruleFor(path)!;
    const problem = write === 'delete' ? null : valueProblem(rule, path, value, writer.userId);
    if (problem) refuse(path, write, problem);
  }
  if (refused.size === 0) for (const over of overVoteLimit(doc, writes)) refuse(over.path, over.write, over.reason);
  if (refused.size > 0) {
    const list = [...refused.values()];
    return { kind: 'refused', refused: list, message: list[0]!.reason, restore: restorePaths(writes, list) };
  }
  return { kind: 'allowed', writes: writes.length };
}

/**
 * The values a refused update replaces or removes, to be put back: every map entry it changes or deletes (allowed
 * or not: none of it goes in), and the text whose content it removes where removing it is refused. Removing text
 * the writer may remove anyway (the notes) stands, as Yjs cannot take a deletion back.
 */
function restorePaths(writes: Write[], refused: RefusedWrite[]): BoardPath[] {
  const refusedDeletes = new Set(refused.filter((write) => write.write === 'delete').map((write) => write.path));
  const paths = new Map<string, BoardPath>();
  for (const { path, write } of writes) {
    if (write === 'create') continue;
    if (path.at(-1) !== CONTENT_SEGMENT) paths.set(formatBoardPath(path), path);
    else if (write === 'delete' && refusedDeletes.has(formatBoardPath(path))) {
      const text = path.slice(0, -1);
      paths.set(formatBoardPath(text), text);
    }
  }
  return [...paths.values()];
}

const isVotePath = (path: BoardPath) => path.length === 4 && path[0] === 'items' && path[2] === 'votes';

/**
 * Each person whose votes the update writes, with more votes over the agenda afterwards than before and more than
 * `votesPerPerson` allows afterwards (a limit lowered below what someone gave still lets them take votes back).
 */
function overVoteLimit(doc: Y.Doc, writes: Write[]): (Write & { reason: string })[] {
  const votes = writes.filter((write) => isVotePath(write.path));
  if (votes.length === 0) return [];
  let limit = readRoom(doc).votesPerPerson;
  for (const write of writes)
    if (formatBoardPath(write.path) === 'room.votesPerPerson' && write.write !== 'delete')
      limit = Math.max(0, Math.floor(typeof write.value === 'number' ? write.value : limit));
  // Agenda items the update deletes or replaces: their votes go with them.
  const removed = new Set(
    writes.filter((write) => write.path.length === 2 && write.path[0] === 'items').map((write) => write.path[1]!),
  );
  const items = doc.getMap<Y.Map<unknown>>('items');
  const over: (Write & { reason: string })[] = [];
  for (const userId of new Set(votes.map((write) => write.path[3]!))) {
    const written = new Map<string, number>();
    for (const write of votes) {
      if (write.path[3] !== userId) continue;
      const itemId = write.path[1]!;
      const count = write.write === 'delete' ? 0 : voteCount(write.value);
      // Several values for one key in one update: the largest counts (Yjs keeps one of them).
      written.set(itemId, Math.max(written.get(itemId) ?? 0, count));
    }
    let before = 0;
    let after = 0;
    for (const [itemId, item] of items) {
      const map = item instanceof Y.Map ? item.get('votes') : undefined;
      const count = map instanceof Y.Map ? voteCount(map.get(userId)) : 0;
      before += count;
      if (!removed.has(itemId) && !written.has(itemId)) after += count;
    }
    for (const count of written.values()) after += count;
    if (after > limit && after > before) {
      const first = votes.find((write) => write.path[3] === userId && write.write !== 'delete') ?? votes[0]!;
      over.push({ ...first, reason: `No votes left: ${limit} per person` });
    }
  }
  return over;
}
