// The board permission table printed as Markdown for the README's room section (a test keeps the README current).
import { BOARD_PERMISSIONS, type BoardActor, type BoardRule } from './board-permissions.ts';
import { VALUE_RULES } from './board-value-rules.ts';

const actorsCell = (actors: readonly BoardActor[]) => (actors.length === 0 ? 'server' : actors.join(', '));

function notesCell(rule: BoardRule): string {
  const notes = [];
  if (rule.self === 'key') notes.push('self: the user named by the key');
  if (rule.self === 'free-topic-presenter') notes.push('self: the presenter of a free topic (who added it)');
  if (rule.draftOnly) notes.push('while a draft; once recorded, server only');
  if (rule.value) notes.push(`value: ${VALUE_RULES[rule.value]}`);
  return notes.join('; ');
}

export const PERMISSION_TABLE_HEADER = ['path', 'what', 'create', 'change', 'delete', 'notes'] as const;

/** The table as Markdown, for the README's room section. */
export function renderPermissionTable(rules: readonly BoardRule[] = BOARD_PERMISSIONS): string {
  const escape = (text: string) => text.replaceAll('|', '\\|');
  const rows = rules.map((rule) => [
    `\`${rule.path}\``,
    rule.what,
    actorsCell(rule.create),
    actorsCell(rule.change),
    actorsCell(rule.delete),
    notesCell(rule),
  ]);
  const lines = [
    `| ${PERMISSION_TABLE_HEADER.join(' | ')} |`,
    `| ${PERMISSION_TABLE_HEADER.map(() => '---').join(' | ')} |`,
    ...rows.map((cells) => `| ${cells.map(escape).join(' | ')} |`),
    '',
    '`facilitator`: the room’s facilitator or an organization admin; `participant`: anyone in the room but viewers ' +
      '(the facilitator too); `self`: the person the rule names; `server`: the server alone. Any other path is ' +
      'written by the server alone.',
  ];
  return lines.join('\n');
}
