import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { formatBoardPath, parseBoardPath } from '../../../../server/domain/board-paths.ts';
import { PERMISSION_TABLE_HEADER, renderPermissionTable } from '../../../../server/domain/board-permission-table.ts';
import {
  BOARD_PERMISSIONS,
  BOARD_WRITES,
  mayWrite,
  ruleFor,
  type BoardWrite,
  type BoardWriter,
  type WriteFacts,
} from '../../../../server/domain/board-permissions.ts';
import { refusalFor } from '../../../../server/domain/board-refusals.ts';
import { valueProblem } from '../../../../server/domain/board-value-rules.ts';
import { readmeSection, tableRows } from '../../../support/readme-table.ts';

/** Who may make a write, as the issue states it (not read from the table under test). */
type Who = 'server' | 'facilitator' | 'participant' | 'self' | 'facilitator or self';

interface Expectation {
  path: string;
  facts?: WriteFacts;
  /** For `self` rules: the person the path names. */
  selfId?: string;
  create: Who;
  change: Who;
  delete: Who;
}

const all = (who: Who) => ({ create: who, change: who, delete: who });

// One concrete path per rule of the table (and a few no rule matches), with what each write needs.
const EXPECTATIONS: Expectation[] = [
  { path: 'room.currentItemId', ...all('facilitator') },
  { path: 'room.phase', ...all('server') },
  { path: 'room.votesPerPerson', ...all('facilitator') },
  { path: 'room.timer', ...all('facilitator') },
  { path: 'room.follow', ...all('facilitator') },
  { path: 'room.facilitatorId', ...all('server') },
  { path: 'room.somethingElse', ...all('server') },
  { path: 'meta.version', ...all('server') },
  {
    path: 'items.i1',
    facts: { freeTopicPresenterId: 'sofia' },
    selfId: 'sofia',
    create: 'participant',
    change: 'server',
    delete: 'facilitator or self',
  },
  {
    path: 'items.i1',
    facts: { freeTopicPresenterId: null },
    create: 'participant',
    change: 'server',
    delete: 'facilitator',
  },
  { path: 'items.i1.id', create: 'participant', change: 'server', delete: 'server' },
  { path: 'items.i1.kind', create: 'participant', change: 'server', delete: 'server' },
  { path: 'items.i1.title', create: 'participant', change: 'facilitator', delete: 'server' },
  { path: 'items.i1.presenterId', create: 'participant', change: 'facilitator', delete: 'server' },
  { path: 'items.i1.timeboxMinutes', create: 'participant', change: 'facilitator', delete: 'server' },
  { path: 'items.i1.order', create: 'participant', change: 'participant', delete: 'server' },
  { path: 'items.i1.metricId', create: 'participant', change: 'server', delete: 'server' },
  { path: 'items.i1.initiativeId', create: 'participant', change: 'server', delete: 'server' },
  { path: 'items.i1.notes', create: 'participant', change: 'server', delete: 'server' },
  { path: 'items.i1.notes[]', ...all('participant') },
  { path: 'items.i1.votes', create: 'participant', change: 'server', delete: 'server' },
  { path: 'items.i1.votes.sofia', selfId: 'sofia', ...all('self') },
  { path: 'items.i1.votes.maya', selfId: 'maya', ...all('self') },
  { path: 'items.i1.decisions', create: 'participant', change: 'server', delete: 'server' },
  {
    path: 'items.i1.decisions.d1',
    facts: { recorded: false },
    create: 'participant',
    change: 'server',
    delete: 'participant',
  },
  { path: 'items.i1.decisions.d1', facts: { recorded: true }, ...all('server') },
  { path: 'items.i1.decisions.d1.id', create: 'participant', change: 'server', delete: 'server' },
  { path: 'items.i1.decisions.d1.createdBy', create: 'participant', change: 'server', delete: 'server' },
  { path: 'items.i1.decisions.d1.createdAt', create: 'participant', change: 'server', delete: 'server' },
  ...['title', 'ownerId', 'dueDate', 'metricId', 'initiativeId', 'expectedMaxSlip', 'expectedBy'].flatMap(
    (field): Expectation[] => [
      { path: `items.i1.decisions.d1.${field}`, facts: { recorded: false }, ...all('participant') },
      { path: `items.i1.decisions.d1.${field}`, facts: { recorded: true }, ...all('server') },
    ],
  ),
  ...['actionItemId', 'status', 'proposedDueDate', 'committedAt', 'verification'].map((field): Expectation => ({
    path: `items.i1.decisions.d1.${field}`,
    ...all('server'),
  })),
  { path: 'items.i1.triage', ...all('server') },
  { path: 'items.i1.commitments', ...all('server') },
  { path: 'items.i1.commitments.a1', ...all('server') },
  { path: 'items.i1.somethingElse', ...all('server') },
  { path: 'items.i1.title[]', ...all('server') },
  { path: 'items', ...all('server') },
  { path: 'evil.key', ...all('server') },
];

const ROLES: { name: string; writer: Omit<BoardWriter, 'userId'>; facilitates: boolean; viewer: boolean }[] = [
  {
    name: 'the facilitator',
    writer: { roomRole: 'facilitator', organizationRole: 'member' },
    facilitates: true,
    viewer: false,
  },
  {
    name: 'an admin who owns items',
    writer: { roomRole: 'owner', organizationRole: 'admin' },
    facilitates: true,
    viewer: false,
  },
  { name: 'an owner', writer: { roomRole: 'owner', organizationRole: 'member' }, facilitates: false, viewer: false },
  { name: 'a viewer', writer: { roomRole: 'viewer', organizationRole: 'member' }, facilitates: false, viewer: true },
  {
    name: 'an admin viewer',
    writer: { roomRole: 'viewer', organizationRole: 'admin' },
    facilitates: false,
    viewer: true,
  },
];

function expected(who: Who, role: (typeof ROLES)[number], isSelf: boolean): boolean {
  if (role.viewer || who === 'server') return false;
  if (who === 'participant') return true;
  if (who === 'facilitator') return role.facilitates;
  if (who === 'self') return isSelf;
  return role.facilitates || isSelf;
}

describe('the board permission table', () => {
  for (const expectation of EXPECTATIONS) {
    const label = `${expectation.path}${expectation.facts ? ` ${JSON.stringify(expectation.facts)}` : ''}`;
    it(`decides every write of ${label} for every role`, () => {
      for (const role of ROLES)
        for (const userId of ['sofia', 'maya', 'diego'])
          for (const write of BOARD_WRITES) {
            const writer = { ...role.writer, userId };
            const want = expected(expectation[write], role, userId === expectation.selfId);
            expect(
              mayWrite(writer, write, expectation.path, expectation.facts),
              `${role.name} ${userId} ${write}`,
            ).toBe(want);
          }
    });
  }

  it('has an expectation above for every rule, so a new rule comes with its test', () => {
    const covered = new Set(EXPECTATIONS.map((expectation) => ruleFor(expectation.path)));
    for (const rule of BOARD_PERMISSIONS) expect(covered.has(rule), rule.path).toBe(true);
  });

  it('leaves every path no rule names to the server, with a notice naming it', () => {
    expect(ruleFor('items.i1.secret')).toBeNull();
    expect(refusalFor(parseBoardPath('items.i1.secret'))).toBe('Only the server writes items.i1.secret');
    expect(refusalFor(parseBoardPath('room.currentItemId'))).toBe('Only the facilitator moves the room');
  });

  it('reads and writes paths with text content', () => {
    expect(parseBoardPath('items.a.notes[]')).toEqual(['items', 'a', 'notes', '[]']);
    expect(formatBoardPath(['items', 'a', 'notes', '[]'])).toBe('items.a.notes[]');
    expect(formatBoardPath(parseBoardPath('items.a.votes.u1'))).toBe('items.a.votes.u1');
  });

  it('checks the values clients write where the table says what they must be', () => {
    const rule = (path: string) => ruleFor(path)!;
    const at = parseBoardPath;
    expect(valueProblem(rule('items.a.votes.u1'), at('items.a.votes.u1'), 2, 'u1')).toBeNull();
    for (const bad of [0, -1, 1.5, '2', null, Number.POSITIVE_INFINITY])
      expect(valueProblem(rule('items.a.votes.u1'), at('items.a.votes.u1'), bad, 'u1')).toMatch(/whole number/);
    expect(valueProblem(rule('items.a.kind'), at('items.a.kind'), 'free', 'u1')).toBeNull();
    expect(valueProblem(rule('items.a.kind'), at('items.a.kind'), 'triage', 'u1')).toMatch(/free/);
    expect(valueProblem(rule('items.a.id'), at('items.a.id'), 'a', 'u1')).toBeNull();
    expect(valueProblem(rule('items.a.id'), at('items.a.id'), 'b', 'u1')).toMatch(/key/);
    expect(valueProblem(rule('items.a.metricId'), at('items.a.metricId'), 'm1', 'u1')).toMatch(/null/);
    expect(valueProblem(rule('items.a.notes'), at('items.a.notes'), new Y.Text(), 'u1')).toBeNull();
    expect(valueProblem(rule('items.a.notes'), at('items.a.notes'), 'text', 'u1')).toMatch(/text/);
    expect(valueProblem(rule('items.a.votes'), at('items.a.votes'), new Y.Map(), 'u1')).toBeNull();
    const createdBy = 'items.a.decisions.d.createdBy';
    expect(valueProblem(rule(createdBy), at(createdBy), 'u1', 'u1')).toBeNull();
    expect(valueProblem(rule(createdBy), at(createdBy), 'u2', 'u1')).toMatch(/own user id/);
    expect(valueProblem(rule('room.timer'), at('room.timer'), { anything: true }, 'u1')).toBeNull();
  });

  it('renders as a Markdown table with one row per rule that says what the table says', () => {
    const markdown = renderPermissionTable();
    const rows = markdown
      .split('\n')
      .filter((line) => line.startsWith('| '))
      .map((line) =>
        line
          .slice(2, -2)
          .split(/(?<!\\) \| /)
          .map((cell) => cell.replaceAll('\\|', '|')),
      );
    expect(rows[0]).toEqual([...PERMISSION_TABLE_HEADER]);
    expect(rows).toHaveLength(BOARD_PERMISSIONS.length + 2);
    const cell = (actors: readonly string[]) => (actors.length === 0 ? 'server' : actors.join(', '));
    BOARD_PERMISSIONS.forEach((rule, index) => {
      const [path, what, create, change, remove, notes] = rows[index + 2]!;
      expect(path).toBe(`\`${rule.path}\``);
      expect(what).toBe(rule.what);
      expect([create, change, remove]).toEqual(
        (['create', 'change', 'delete'] as BoardWrite[]).map((w) => cell(rule[w])),
      );
      if (rule.self === 'key') expect(notes).toContain('self: the user named by the key');
      if (rule.draftOnly) expect(notes).toContain('while a draft');
      if (rule.value) expect(notes).toContain('value: ');
    });
    expect(markdown).toContain('Any other path is written by the server alone.');
  });

  it('is the table the README lists, row for row', () => {
    const listed = readmeSection('permission-table');
    expect(listed).not.toBeNull();
    expect(tableRows(listed!)).toEqual(tableRows(renderPermissionTable()));
    expect(listed).toContain('Any other path is written by the server alone.');
  });
});
