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
//
// The paths' grammar is board-paths.ts, the value rules board-value-rules.ts, what a refused writer is told
// board-refusals.ts, the README's rendering board-permission-table.ts. This file stays past 300 lines because the
// table is one list read top to bottom (the first matching rule wins), and it is the documentation.
import type { RoomRole } from './board-schema.ts';
import { compilePathPattern, matchesPathPattern, parseBoardPath, type BoardPath } from './board-paths.ts';
import type { ValueRule } from './board-value-rules.ts';
import { canFacilitate } from './review-roles.ts';

export const BOARD_WRITES = ['create', 'change', 'delete'] as const;
export type BoardWrite = (typeof BOARD_WRITES)[number];
export const BOARD_ACTORS = ['facilitator', 'participant', 'self'] as const;
export type BoardActor = (typeof BOARD_ACTORS)[number];

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

const COMPILED = BOARD_PERMISSIONS.map((rule) => ({ rule, pattern: compilePathPattern(rule.path) }));

/** The rule for a path, or null when only the server writes it. */
export function ruleFor(path: BoardPath | string): BoardRule | null {
  const segments = typeof path === 'string' ? parseBoardPath(path) : path;
  return COMPILED.find(({ pattern }) => matchesPathPattern(pattern, segments))?.rule ?? null;
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

/** Whether a client may make this write (the server always may); value rules are checked by `valueProblem` (board-value-rules.ts). */
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
