// What the writer of a refused board update is told: the refusal of each write (from the permission table) and
// the notice that carries them back to Lastmile's own clients.
import { formatBoardPath, type BoardPath } from './board-paths.ts';
import { ruleFor, type BoardWrite } from './board-permissions.ts';

/** A write of a refused update, as the notice names it. */
export interface RefusedWrite {
  /** The concrete path, e.g. `items.3f….votes.<userId>`. */
  path: string;
  write: BoardWrite;
  /** The human notice for this write ("Only the facilitator moves the room"). */
  reason: string;
}

/** What the writer of a refused update hears (NOTICE_MESSAGE_TYPE, as JSON), Lastmile's own clients only. */
export interface WriteForbiddenNotice {
  kind: 'write-forbidden';
  writes: RefusedWrite[];
  /** A sentence to show the person. */
  message: string;
}

export function forbiddenNotice(refused: readonly RefusedWrite[]): WriteForbiddenNotice {
  const reason = refused[0]?.reason ?? 'You may not make this change';
  return {
    kind: 'write-forbidden',
    writes: [...refused],
    message: `${reason}. Your change was not saved and has been undone.`,
  };
}

/** The notice for a refused write. */
export function refusalFor(path: BoardPath): string {
  return ruleFor(path)?.refusal ?? `Only the server writes ${formatBoardPath(path)}`;
}
