// Who may write what on the review board: one table, readable as documentation, enforced by the sync layer on every
// incoming update (server/sync/update-permissions.ts) and read by the front end to hide what the server would refuse.
//
// A path names a place in the board's Y.Doc (see board.ts): `room.phase`, `items.<itemId>.votes.<userId>`,
// `items.<itemId>.notes[]` (the text of the notes). A write is a `create` (the key had no value), a `change` (it
// had one) or a `delete`; on a text, inserting is a create, removing a delete and formatting a change. Deleting a
// map or an agenda item is one write of its path: what it held goes with it.
//
// Actors: `facilitator` is the room's facilitator or an organization admin; `participant` is anyone in the room who
// is not a viewer (the facilitator too); `self` is the one person the rule names (the user of a vote's key, the
// presenter of a topic they added). The server may write everything; a path no rule matches is the server's alone.
import * as Y from 'yjs';
import type { RoomRole } from './board-schema.ts';
import { canFacilitate } from './review-roles.ts';

export const BOARD_WRITES = ['create', 'change', 'delete'] as const;
export type BoardWrite = (typeof BOARD_WRITES)[number];
export const BOARD_ACTORS = ['facilitator', 'participant', 'self'] as const;
export type BoardActor = (typeof BOARD_ACTORS)[number];

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

export interface BoardRule {
  /** Dot-separated; `<name>` is any key, `{a,b}` one of these keys, a trailing `[]` the content of a text. */
  path: string;
  what: string;
  create: readonly BoardActor[];
  change: readonly BoardActor[];
  delete: readonly BoardActor[];
  /** Whom `self` names: the last key of the path, or the presenter of a free topic (the one who added it). */
  self?: 'key' | 'free-topic-presenter';
  /** Only while the decision is a draft; once recorded as an action item, the server alone writes it. */
  draftOnly?: true;
  value?: ValueRule;
  /** The notice a refused writer sees. */
  refusal: string;
}

const FACILITATOR = ['facilitator'] as const;
const PARTICIPANT = ['participant'] as const;
const SELF = ['self'] as const;
const SERVER = [] as const;

/** First match wins; anything else is the server's. */
export const BOARD_PERMISSIONS: readonly BoardRule[] = [
  {
    path: 'room.currentItemId',
    what: 'the item the room is on',
    create: FACILITATOR,
    change: FACILITATOR,
    delete: FACILITATOR,
    refusal: 'Only the facilitator moves the room',
  },
  {
    path: 'room.phase',
    what: 'the review’s phase (mirrors the database; the phase buttons go through the API)',
    create: SERVER,
    change: SERVER,
    delete: SERVER,
    refusal: 'The phase changes through the facilitator’s phase buttons only',
  },
  {
    path: 'room.votesPerPerson',
    what: 'votes each person may give',
    create: FACILITATOR,
    change: FACILITATOR,
    delete: FACILITATOR,
    refusal: 'Only the facilitator sets the votes per person',
  },
  {
    path: 'room.timer',
    what: 'the item timer',
    create: FACILITATOR,
    change: FACILITATOR,
    delete: FACILITATOR,
    refusal: 'Only the facilitator runs the timer',
  },
  {
    path: 'room.follow',
    what: 'follow-me (everyone follows the facilitator’s view)',
    create: FACILITATOR,
    change: FACILITATOR,
    delete: FACILITATOR,
    refusal: 'Only the facilitator leads the room',
  },
  {
    path: 'room.facilitatorId',
    what: 'who facilitates (mirrors the database; handing over goes through the API)',
    create: SERVER,
    change: SERVER,
    delete: SERVER,
    refusal: 'The facilitator is handed over through the participants list only',
  },
  {
    path: 'meta.<key>',
    what: 'the board’s schema version',
    create: SERVER,
    change: SERVER,
    delete: SERVER,
    refusal: 'Only the server writes the board’s version',
  },
  {
    path: 'items.<itemId>',
    what: 'an agenda item (a topic someone adds; generated items and triage items come from the server)',
    create: PARTICIPANT,
    change: SERVER,
    delete: ['facilitator', 'self'],
    self: 'free-topic-presenter',
    value: 'map',
    refusal: 'Only the facilitator removes agenda items',
  },
  {
    path: 'items.<itemId>.id',
    what: 'an item’s id',
    create: PARTICIPANT,
    change: SERVER,
    delete: SERVER,
    value: 'parent-key',
    refusal: 'An agenda item’s id never changes',
  },
  {
    path: 'items.<itemId>.kind',
    what: 'status update, triage, commitments check or free topic',
    create: PARTICIPANT,
    change: SERVER,
    delete: SERVER,
    value: 'free',
    refusal: 'Only the server turns an item into a triage item or a commitments check',
  },
  {
    path: 'items.<itemId>.{title,presenterId,timeboxMinutes}',
    what: 'an item’s title, presenter and timebox',
    create: PARTICIPANT,
    change: FACILITATOR,
    delete: SERVER,
    refusal: 'Only the facilitator edits an agenda item',
  },
  {
    path: 'items.<itemId>.order',
    what: 'agenda order (anyone in the room reorders)',
    create: PARTICIPANT,
    change: PARTICIPANT,
    delete: SERVER,
    refusal: 'An agenda item keeps its position',
  },
  {
    path: 'items.<itemId>.{metricId,initiativeId}',
    what: 'the metric or initiative an item is about',
    create: PARTICIPANT,
    change: SERVER,
    delete: SERVER,
    value: 'null',
    refusal: 'Only the server links an agenda item to a metric or an initiative',
  },
  {
    path: 'items.<itemId>.notes',
    what: 'the item’s notes (the text itself)',
    create: PARTICIPANT,
    change: SERVER,
    delete: SERVER,
    value: 'text',
    refusal: 'An item’s notes cannot be replaced',
  },
  {
    path: 'items.<itemId>.notes[]',
    what: 'what the notes say (everyone types together)',
    create: PARTICIPANT,
    change: PARTICIPANT,
    delete: PARTICIPANT,
    refusal: 'Viewers do not edit the notes',
  },
  {
    path: 'items.<itemId>.{votes,decisions}',
    what: 'an item’s votes and decisions (the maps themselves)',
    create: PARTICIPANT,
    change: SERVER,
    delete: SERVER,
    value: 'map',
    refusal: 'An item’s votes and decisions cannot be replaced',
  },
  {
    path: 'items.<itemId>.votes.<userId>',
    what: 'the votes one person gave the item (within `room.votesPerPerson` over the agenda)',
    create: SELF,
    change: SELF,
    delete: SELF,
    self: 'key',
    value: 'whole-positive',
    refusal: 'You vote only as yourself',
  },
  {
    path: 'items.<itemId>.decisions.<decisionId>',
    what: 'a decision drafted in the room',
    create: PARTICIPANT,
    change: SERVER,
    delete: PARTICIPANT,
    draftOnly: true,
    value: 'map',
    refusal: 'A recorded decision stays on the board',
  },
  {
    path: 'items.<itemId>.decisions.<decisionId>.id',
    what: 'a decision’s id',
    create: PARTICIPANT,
    change: SERVER,
    delete: SERVER,
    value: 'parent-key',
    refusal: 'A decision’s id never changes',
  },
  {
    path: 'items.<itemId>.decisions.<decisionId>.createdBy',
    what: 'who drafted it',
    create: PARTICIPANT,
    change: SERVER,
    delete: SERVER,
    value: 'writer',
    refusal: 'A decision is drafted in your own name',
  },
  {
    path: 'items.<itemId>.decisions.<decisionId>.createdAt',
    what: 'when it was drafted',
    create: PARTICIPANT,
    change: SERVER,
    delete: SERVER,
    refusal: 'When a decision was drafted never changes',
  },
  {
    path: 'items.<itemId>.decisions.<decisionId>.{title,ownerId,dueDate,metricId,initiativeId,expectedMaxSlip,expectedBy}',
    what: 'a draft’s fields',
    create: PARTICIPANT,
    change: PARTICIPANT,
    delete: PARTICIPANT,
    draftOnly: true,
    refusal: 'A recorded decision changes through its action item only',
  },
  {
    path: 'items.<itemId>.decisions.<decisionId>.{actionItemId,status,proposedDueDate,committedAt,verification}',
    what: 'what the server records about a decision',
    create: SERVER,
    change: SERVER,
    delete: SERVER,
    refusal: 'Decisions are recorded and committed through their buttons only',
  },
  {
    path: 'items.<itemId>.triage',
    what: 'triage facts: why, impact, state (dismissing goes through the API)',
    create: SERVER,
    change: SERVER,
    delete: SERVER,
    refusal: 'Only the server writes triage facts',
  },
  {
    path: 'items.<itemId>.commitments',
    what: 'the commitments check’s list',
    create: SERVER,
    change: SERVER,
    delete: SERVER,
    refusal: 'Only the server lists earlier commitments',
  },
  {
    path: 'items.<itemId>.commitments.<actionId>',
    what: 'an earlier action item on the commitments check',
    create: SERVER,
    change: SERVER,
    delete: SERVER,
    refusal: 'Only the server lists earlier commitments',
  },
];

/** A path as the sync layer resolves it: map keys, and `[]` for the content of a text or array. */
export type BoardPath = readonly string[];
export const CONTENT_SEGMENT = '[]';

type Matcher = { any: string } | { keys: ReadonlySet<string> } | { key: string };

function parsePattern(path: string): Matcher[] {
  const content = path.endsWith(CONTENT_SEGMENT);
  const segments = (content ? path.slice(0, -CONTENT_SEGMENT.length) : path).split('.');
  const matchers: Matcher[] = segments.map((segment) => {
    if (segment.startsWith('<') && segment.endsWith('>')) return { any: segment.slice(1, -1) };
    if (segment.startsWith('{') && segment.endsWith('}')) return { keys: new Set(segment.slice(1, -1).split(',')) };
    return { key: segment };
  });
  if (content) matchers.push({ key: CONTENT_SEGMENT });
  return matchers;
}

const COMPILED = BOARD_PERMISSIONS.map((rule) => ({ rule, matchers: parsePattern(rule.path) }));

function matches(matchers: Matcher[], path: BoardPath): boolean {
  if (matchers.length !== path.length) return false;
  return matchers.every((matcher, index) => {
    const segment = path[index]!;
    if ('any' in matcher) return segment !== CONTENT_SEGMENT;
    if ('keys' in matcher) return matcher.keys.has(segment);
    return matcher.key === segment;
  });
}

/** `items.a.notes[]` → ['items', 'a', 'notes', '[]']. Keys containing dots cannot be written this way. */
export function parseBoardPath(path: string): BoardPath {
  const content = path.endsWith(CONTENT_SEGMENT);
  const segments = (content ? path.slice(0, -CONTENT_SEGMENT.length) : path).split('.');
  return content ? [...segments, CONTENT_SEGMENT] : segments;
}

export function formatBoardPath(path: BoardPath): string {
  return path.map((segment, index) => (segment === CONTENT_SEGMENT || index === 0 ? segment : `.${segment}`)).join('');
}

/** The rule for a path, or null when only the server writes it. */
export function ruleFor(path: BoardPath | string): BoardRule | null {
  const segments = typeof path === 'string' ? parseBoardPath(path) : path;
  return COMPILED.find(({ matchers }) => matches(matchers, segments))?.rule ?? null;
}

/** Who is writing: their id, their role in the room and in the organization. */
export interface BoardWriter {
  userId: string;
  roomRole: RoomRole;
  organizationRole: 'admin' | 'member';
}

/** What a rule depends on besides the path, as the board stands before the write. */
export interface WriteFacts {
  /** For an agenda item: its presenter when it is a free topic (the person who added it), else null. */
  freeTopicPresenterId?: string | null;
  /** For a decision or its fields: it has been recorded as an action item. */
  recorded?: boolean;
}

/** Whether a client may make this write (the server always may); value rules are checked by `valueProblem`. */
export function mayWrite(writer: BoardWriter, write: BoardWrite, path: BoardPath | string, facts: WriteFacts = {}) {
  const segments = typeof path === 'string' ? parseBoardPath(path) : path;
  const rule = ruleFor(segments);
  if (!rule || writer.roomRole === 'viewer') return false;
  if (rule.draftOnly && facts.recorded) return false;
  return rule[write].some((actor) => {
    if (actor === 'participant') return true;
    if (actor === 'facilitator') return canFacilitate(writer.roomRole, writer.organizationRole);
    const self = rule.self === 'key' ? segments.at(-1) : facts.freeTopicPresenterId;
    return self === writer.userId;
  });
}

/** Why a client's new value at a path is not allowed, or null when it is (or the rule says nothing about it). */
export function valueProblem(rule: BoardRule, path: BoardPath, value: unknown, writerId: string): string | null {
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
