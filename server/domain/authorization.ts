// Who may change what through the API: one line per resource and action, stated once. The routes enforce it (the
// portfolio's lines through ownership.ts), the README prints it, and the authorization matrix test checks every
// state-changing route of the OpenAPI document against it for each kind of person.
import { PORTFOLIO_RULES, type PortfolioAction, type PortfolioResource } from './ownership.ts';

/**
 * - `anyone`: no account needed;
 * - `signed in`: any account, acting on itself (its session, its notifications, a new organization);
 * - `member`: anyone in the organization;
 * - `participant`: a member who is not a viewer of the review concerned;
 * - `owner`: the accountable owner of the thing (see `whose`), or an admin;
 * - `owner or facilitator`: the accountable owner, the facilitator of the review it came from, or an admin;
 * - `facilitator`: the review's facilitator, or an admin;
 * - `owner only`: the accountable owner in person, not even an admin (a commitment is personal);
 * - `admin`: admins of the organization only.
 */
export type Who =
  | 'anyone'
  | 'signed in'
  | 'member'
  | 'participant'
  | 'owner'
  | 'owner or facilitator'
  | 'facilitator'
  | 'owner only'
  | 'admin';

export interface Permission {
  resource: string;
  action: string;
  who: Who;
  /** Whose ownership `owner` refers to, or what else the line needs to say. */
  note?: string;
}

/** The kinds of person the rule distinguishes; an outsider is an admin of another organization. */
export const ACTORS = ['admin', 'facilitator', 'owner', 'member', 'viewer', 'outsider'] as const;
export type ActorKind = (typeof ACTORS)[number];

const ALLOWED: Record<Who, readonly ActorKind[]> = {
  anyone: ACTORS,
  'signed in': ACTORS,
  member: ['admin', 'facilitator', 'owner', 'member', 'viewer'],
  participant: ['admin', 'facilitator', 'owner', 'member'],
  owner: ['admin', 'owner'],
  'owner or facilitator': ['admin', 'facilitator', 'owner'],
  facilitator: ['admin', 'facilitator'],
  'owner only': ['owner'],
  admin: ['admin'],
};

/**
 * Whether a kind of person may do what `who` allows. In the matrix the `owner` is the accountable owner of the
 * thing and a plain member otherwise; the `facilitator` facilitates the review concerned and is a plain member of
 * the organization; the `viewer` is a member listed as viewer of that review.
 */
export function allows(who: Who, actor: ActorKind): boolean {
  return ALLOWED[who].includes(actor);
}

const PORTFOLIO_VERBS: Record<PortfolioAction, string> = { create: 'add', change: 'change', remove: 'remove' };
const PORTFOLIO_WHOSE: Record<PortfolioResource, string> = {
  objective: 'its owner',
  'key result': 'the owner of its objective',
  initiative: 'its accountable owner',
  metric: 'its owner',
};

/** The portfolio's lines, from ownership.ts (the rule the portfolio routes apply). */
function portfolioLines(resource: PortfolioResource): Permission[] {
  return (['create', 'change', 'remove'] as const).map((action) => {
    const who = PORTFOLIO_RULES[resource][action];
    return {
      resource,
      action: PORTFOLIO_VERBS[action],
      who,
      ...(who === 'owner' ? { note: PORTFOLIO_WHOSE[resource] } : {}),
    };
  });
}

export const API_PERMISSIONS: readonly Permission[] = [
  { resource: 'account', action: 'sign up, sign in', who: 'anyone' },
  { resource: 'account', action: 'sign out, sign out everywhere', who: 'signed in' },
  { resource: 'organization', action: 'create', who: 'signed in', note: 'the creator becomes its admin' },
  { resource: 'organization', action: 'change settings', who: 'admin' },
  { resource: 'membership', action: 'join', who: 'signed in', note: 'with a valid invitation link' },
  { resource: 'membership', action: 'remove', who: 'admin', note: 'anyone may leave (remove themselves)' },
  { resource: 'invitation', action: 'create, revoke', who: 'admin' },
  { resource: 'API token', action: 'create, revoke', who: 'admin' },
  { resource: 'webhook', action: 'add, change, remove, test, redeliver', who: 'admin' },
  ...portfolioLines('objective'),
  ...portfolioLines('key result'),
  ...portfolioLines('initiative'),
  ...portfolioLines('metric'),
  {
    resource: 'status override',
    action: 'set, clear',
    who: 'owner',
    note: 'the owner of the metric or initiative',
  },
  {
    resource: 'dependency',
    action: 'add, change, remove',
    who: 'owner',
    note: 'the accountable owner of either initiative, or a person it names (requester, provider)',
  },
  {
    resource: 'reading',
    action: 'push, correct, import',
    who: 'member',
    note: 'or an API token of the organization; a correction keeps the old value in the history',
  },
  { resource: 'reading', action: 'delete', who: 'owner', note: 'the owner of the metric' },
  { resource: 'review', action: 'schedule', who: 'member', note: 'the scheduler facilitates it' },
  {
    resource: 'review',
    action: 'rename, reschedule, start, close, move phase, dismiss a pivot, set room roles',
    who: 'facilitator',
  },
  { resource: 'share link', action: 'create, revoke', who: 'facilitator' },
  { resource: 'action item', action: 'record a decision', who: 'participant', note: 'in a review that is not closed' },
  {
    resource: 'action item',
    action: 'change, reassign, mark done or dropped',
    who: 'owner or facilitator',
    note: 'a reassigned item waits for its new owner to commit',
  },
  { resource: 'action item', action: 'commit, propose a due date', who: 'owner only' },
  { resource: 'action item', action: 'accept or decline a proposed due date', who: 'facilitator' },
  { resource: 'my notifications, my calendar feed', action: 'mark read, rotate', who: 'signed in' },
];

/** One line of a resource and action, by the exact words of the table. */
export function permission(resource: string, action: string): Permission {
  const found = API_PERMISSIONS.find((line) => line.resource === resource && line.action === action);
  if (!found) throw new Error(`No permission line for ${resource}: ${action}`);
  return found;
}

const WHO_WORDS: Record<Who, string> = {
  anyone: 'anyone',
  'signed in': 'any signed-in person, for themselves',
  member: 'any member',
  participant: 'members who are not viewers of the review',
  owner: 'the owner or an admin',
  'owner or facilitator': 'the owner, the facilitator of its review, or an admin',
  facilitator: 'the facilitator or an admin',
  'owner only': 'the owner only',
  admin: 'admins',
};

/** The README's table of the API's permissions, row for row. */
export function renderApiPermissionTable(lines: readonly Permission[] = API_PERMISSIONS): string {
  return [
    '| resource | action | who | note |',
    '| --- | --- | --- | --- |',
    ...lines.map((line) => `| ${line.resource} | ${line.action} | ${WHO_WORDS[line.who]} | ${line.note ?? ''} |`),
  ].join('\n');
}
