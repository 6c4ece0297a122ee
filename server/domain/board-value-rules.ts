// What a client's new value on the board must be, beyond who may write it: the `value` column of the permission
// table (board-permissions.ts), and the check the sync layer runs on every value a client writes.
import * as Y from 'yjs';
import { formatBoardPath, type BoardPath } from './board-paths.ts';

/** What a client's new value must be (the server's own edits are not checked). */
export const VALUE_RULES = {
  free: 'the text `free` (a topic someone adds)',
  null: '`null` (only the server links metrics and initiatives)',
  'parent-key': 'the key it is stored under',
  writer: 'the writer’s own user id',
  text: 'a collaborative text',
  map: 'a map',
  'whole-positive': 'a whole number of at least 1 (taking the last vote back deletes the key)',
} as const;
export type ValueRule = keyof typeof VALUE_RULES;

/** Why a client's new value at a path is not allowed, or null when it is (or the rule says nothing about it). */
export function valueProblem(
  rule: { value?: ValueRule },
  path: BoardPath,
  value: unknown,
  writerId: string,
): string | null {
  if (!rule.value) return null;
  const ok = (() => {
    switch (rule.value) {
      case 'free':
        return value === 'free';
      case 'null':
        return value === null;
      case 'parent-key':
        return value === path.at(-2);
      case 'writer':
        return value === writerId;
      case 'text':
        return value instanceof Y.Text;
      case 'map':
        return value instanceof Y.Map;
      case 'whole-positive':
        return typeof value === 'number' && Number.isInteger(value) && value >= 1;
    }
  })();
  return ok ? null : `${formatBoardPath(path)} must be ${VALUE_RULES[rule.value]}`;
}
