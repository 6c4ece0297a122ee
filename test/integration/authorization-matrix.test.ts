// Every state-changing route of the OpenAPI document, tried by each kind of person against the one table of who
// may change what (server/domain/authorization.ts, printed in the README): an admin, the review's facilitator,
// the thing's accountable owner, another member, a viewer of the review, and an admin of another organization.
// Those the table allows succeed; the others get 403 (404 from another organization) and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAgenda } from '../../server/domain/board.ts';
import {
  ACTORS,
  API_PERMISSIONS,
  allows,
  permission,
  type ActorKind,
  type Permission,
} from '../../server/domain/authorization.ts';
import { ApiClient, createOrganization, PASSWORD, signUp, uniqueEmail } from '../support/client.ts';
import { createMetric, planInstant } from '../support/portfolio.ts';
import { addMember, createReview, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually } from '../support/sync.ts';

let server: TestServer;
let orgId: string;
const people = {} as Record<ActorKind, Person>;

beforeAll(async () => {
  server = await startTestServer();
  people.admin = await signUp(server.origin, 'Ada Admin');
  orgId = (await createOrganization(people.admin.client, 'Matrix Org')).id;
  for (const [kind, name] of [
    ['facilitator', 'Fran Facilitator'],
    ['owner', 'Olu Owner'],
    ['member', 'Mo Member'],
    ['viewer', 'Vi Viewer'],
  ] as const)
    people[kind] = await addMember(server.origin, people.admin.client, orgId, name);
  people.outsider = await signUp(server.origin, 'Otto Outsider');
  await createOrganization(people.outsider.client, 'Other Org');
}, 60_000);
afterAll(() => server?.stop());

const admin = () => people.admin.client;
const id = (person: ActorKind) => people[person].user.id;

async function ok<T = any>(response: Promise<{ status: number; body: any }>, status = 201): Promise<T> {
  const answer = await response;
  if (answer.status !== status) throw new Error(`${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body as T;
}

const nextYear = () => `${new Date().getUTCFullYear() + 1}-06-30`;
const laterNextYear = () => `${new Date().getUTCFullYear() + 1}-09-30`;

// What each route acts on, made fresh for each attempt; owned by the `owner`, in reviews the `facilitator`
// facilitates and the `viewer` watches.
const make = {
  metric: async () => (await createMetric(admin(), orgId, id('owner'))).id,
  objective: async () =>
    (await ok(admin().post(`/api/orgs/${orgId}/objectives`, { title: 'Faster', ownerId: id('owner') }))).objective
      .id as string,
  keyResult: async () =>
    (
      await ok(
        admin().post(`/api/orgs/${orgId}/key-results`, { objectiveId: await make.objective(), title: 'Under 2 days' }),
      )
    ).keyResult.id as string,
  initiative: async (ownerId = id('owner')) =>
    (await ok(admin().post(`/api/orgs/${orgId}/initiatives`, { title: 'Scanners', ownerId, team: 'Regions' })))
      .initiative.id as string,
  dependency: async () =>
    (
      await ok(
        admin().post(`/api/orgs/${orgId}/dependencies`, {
          dependentId: await make.initiative(),
          dependencyId: await make.initiative(id('admin')),
        }),
      )
    ).dependency.id as string,
  reading: async () => {
    const metricId = await make.metric();
    const reading = await ok(admin().post(`/api/metrics/${metricId}/readings`, { value: 40, at: planInstant(40) }));
    return { metricId, readingId: reading.reading.id as string };
  },
  review: async (status: 'scheduled' | 'live' | 'closed' = 'scheduled', metricIds: string[] = []) => {
    const facilitator = people.facilitator.client;
    const review = await createReview(facilitator, orgId, {
      metricIds,
      participants: [
        { userId: id('facilitator'), role: 'facilitator' },
        { userId: id('viewer'), role: 'viewer' },
      ],
    });
    if (status !== 'scheduled') await ok(facilitator.post(`/api/reviews/${review.id}/start`), 200);
    if (status === 'closed') await ok(facilitator.post(`/api/reviews/${review.id}/close`), 200);
    return review.id;
  },
  action: async () => {
    const reviewId = await make.review('live');
    const recorded = await ok(
      people.facilitator.client.post(`/api/reviews/${reviewId}/actions`, {
        id: crypto.randomUUID(),
        title: 'Call the scanner vendor',
        ownerId: id('owner'),
        dueDate: nextYear(),
      }),
    );
    return recorded.action as { id: string; version: number };
  },
  webhook: async () =>
    (
      await ok(
        admin().post(`/api/orgs/${orgId}/webhooks`, {
          url: 'https://hooks.example.com/a',
          events: ['action.recorded'],
        }),
      )
    ).webhook.id as string,
};

interface Attempt {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Who makes the request instead of the person's usual session (signing in and out). */
  client?: ApiClient;
}

interface Case {
  line: Permission;
  /** What success answers. */
  status: number;
  /** Makes what the request acts on; `actor` is who will try. */
  prepare: (actor: ActorKind) => Promise<Attempt>;
  /** Waits for background work a successful request started (so it does not run into the next check). */
  settle?: (body: any) => Promise<void>;
}

/** A second session of the same person, so signing out does not end the one the other cases use. */
async function freshSession(actor: ActorKind): Promise<ApiClient> {
  const client = new ApiClient(server.origin);
  await ok(client.post('/api/auth/login', { email: people[actor].user.email, password: PASSWORD }), 200);
  return client;
}

const csv = (metricName: string) => `KPI,Date,Actual\n${metricName},${planInstant(30).slice(0, 10)},30\n`;

const CASES: Record<string, Case> = {
  'POST /api/auth/signup': {
    line: permission('account', 'sign up, sign in'),
    status: 201,
    prepare: async () => ({
      path: '/api/auth/signup',
      body: { email: uniqueEmail('new'), password: PASSWORD, name: 'New Person' },
      client: new ApiClient(server.origin),
    }),
  },
  'POST /api/auth/login': {
    line: permission('account', 'sign up, sign in'),
    status: 200,
    prepare: async (actor) => ({
      path: '/api/auth/login',
      body: { email: people[actor].user.email, password: PASSWORD },
      client: new ApiClient(server.origin),
    }),
  },
  'POST /api/auth/logout': {
    line: permission('account', 'sign out, sign out everywhere'),
    status: 204,
    prepare: async (actor) => ({ path: '/api/auth/logout', client: await freshSession(actor) }),
  },
  'POST /api/auth/logout-everywhere': {
    line: permission('account', 'sign out, sign out everywhere'),
    status: 204,
    // Everywhere means every session: a person of their own, made for this case.
    prepare: async () => ({ path: '/api/auth/logout-everywhere', client: (await signUp(server.origin)).client }),
  },
  'POST /api/orgs': {
    line: permission('organization', 'create'),
    status: 201,
    prepare: async () => ({ path: '/api/orgs', body: { name: 'Side project' } }),
  },
  'PUT /api/orgs/{orgId}/settings': {
    line: permission('organization', 'change settings'),
    status: 200,
    prepare: async () => ({ path: `/api/orgs/${orgId}/settings`, body: { defaultSlipThreshold: 0.2 } }),
  },
  'POST /api/invites/{token}/accept': {
    line: permission('membership', 'join'),
    status: 200,
    // Whoever holds the link joins: a newcomer each time, so nobody in the matrix changes organization.
    prepare: async () => {
      const invite = await ok(admin().post(`/api/orgs/${orgId}/invites`, {}));
      const token = new URL(invite.url).pathname.split('/').pop()!;
      return { path: `/api/invites/${token}/accept`, client: (await signUp(server.origin)).client };
    },
  },
  'DELETE /api/orgs/{orgId}/members/{userId}': {
    line: permission('membership', 'remove'),
    status: 204,
    prepare: async () => {
      const leaving = await addMember(server.origin, admin(), orgId, 'Lee Leaving');
      return { path: `/api/orgs/${orgId}/members/${leaving.user.id}` };
    },
  },
  'POST /api/orgs/{orgId}/invites': {
    line: permission('invitation', 'create, revoke'),
    status: 201,
    prepare: async () => ({ path: `/api/orgs/${orgId}/invites`, body: {} }),
  },
  'DELETE /api/orgs/{orgId}/invites/{inviteId}': {
    line: permission('invitation', 'create, revoke'),
    status: 204,
    prepare: async () => {
      const invite = await ok(admin().post(`/api/orgs/${orgId}/invites`, {}));
      return { path: `/api/orgs/${orgId}/invites/${invite.invite.id}` };
    },
  },
  'POST /api/orgs/{orgId}/tokens': {
    line: permission('API token', 'create, revoke'),
    status: 201,
    prepare: async () => ({ path: `/api/orgs/${orgId}/tokens`, body: { name: 'BI' } }),
  },
  'DELETE /api/orgs/{orgId}/tokens/{tokenId}': {
    line: permission('API token', 'create, revoke'),
    status: 204,
    prepare: async () => {
      const token = await ok(admin().post(`/api/orgs/${orgId}/tokens`, { name: 'BI' }));
      return { path: `/api/orgs/${orgId}/tokens/${token.token.id}` };
    },
  },
  'POST /api/orgs/{orgId}/webhooks': {
    line: permission('webhook', 'add, change, remove, test, redeliver'),
    status: 201,
    prepare: async () => ({
      path: `/api/orgs/${orgId}/webhooks`,
      body: { url: 'https://hooks.example.com/b', events: ['triage.pivoted'] },
    }),
  },
  'PATCH /api/orgs/{orgId}/webhooks/{webhookId}': {
    line: permission('webhook', 'add, change, remove, test, redeliver'),
    status: 200,
    prepare: async () => ({ path: `/api/orgs/${orgId}/webhooks/${await make.webhook()}`, body: { active: false } }),
  },
  'DELETE /api/orgs/{orgId}/webhooks/{webhookId}': {
    line: permission('webhook', 'add, change, remove, test, redeliver'),
    status: 204,
    prepare: async () => ({ path: `/api/orgs/${orgId}/webhooks/${await make.webhook()}` }),
  },
  'POST /api/orgs/{orgId}/webhooks/{webhookId}/test': {
    line: permission('webhook', 'add, change, remove, test, redeliver'),
    status: 202,
    prepare: async () => ({ path: `/api/orgs/${orgId}/webhooks/${await make.webhook()}/test` }),
  },
  'POST /api/orgs/{orgId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver': {
    line: permission('webhook', 'add, change, remove, test, redeliver'),
    status: 202,
    prepare: async () => {
      const webhookId = await make.webhook();
      const ping = await ok(admin().post(`/api/orgs/${orgId}/webhooks/${webhookId}/test`), 202);
      return { path: `/api/orgs/${orgId}/webhooks/${webhookId}/deliveries/${ping.delivery.id}/redeliver` };
    },
  },
  'POST /api/orgs/{orgId}/objectives': {
    line: permission('objective', 'add'),
    status: 201,
    prepare: async () => ({ path: `/api/orgs/${orgId}/objectives`, body: { title: 'Cheaper', ownerId: id('owner') } }),
  },
  'PUT /api/orgs/{orgId}/objectives/{objectiveId}': {
    line: permission('objective', 'change'),
    status: 204,
    prepare: async () => ({
      path: `/api/orgs/${orgId}/objectives/${await make.objective()}`,
      body: { title: 'Faster still', ownerId: id('owner') },
    }),
  },
  'PATCH /api/orgs/{orgId}/objectives/{objectiveId}': {
    line: permission('objective', 'change'),
    status: 204,
    prepare: async () => ({
      path: `/api/orgs/${orgId}/objectives/${await make.objective()}`,
      body: { title: 'Faster still' },
    }),
  },
  'DELETE /api/orgs/{orgId}/objectives/{objectiveId}': {
    line: permission('objective', 'remove'),
    status: 204,
    prepare: async () => ({ path: `/api/orgs/${orgId}/objectives/${await make.objective()}` }),
  },
  'POST /api/orgs/{orgId}/key-results': {
    line: permission('key result', 'add'),
    status: 201,
    prepare: async () => ({
      path: `/api/orgs/${orgId}/key-results`,
      body: { objectiveId: await make.objective(), title: 'Under a day' },
    }),
  },
  'PUT /api/orgs/{orgId}/key-results/{keyResultId}': {
    line: permission('key result', 'change'),
    status: 204,
    prepare: async () => {
      const objectiveId = await make.objective();
      const keyResult = await ok(admin().post(`/api/orgs/${orgId}/key-results`, { objectiveId, title: 'Two days' }));
      return {
        path: `/api/orgs/${orgId}/key-results/${keyResult.keyResult.id}`,
        body: { objectiveId, title: 'One day' },
      };
    },
  },
  'PATCH /api/orgs/{orgId}/key-results/{keyResultId}': {
    line: permission('key result', 'change'),
    status: 204,
    prepare: async () => ({ path: `/api/orgs/${orgId}/key-results/${await make.keyResult()}`, body: { title: 'One' } }),
  },
  'DELETE /api/orgs/{orgId}/key-results/{keyResultId}': {
    line: permission('key result', 'remove'),
    status: 204,
    prepare: async () => ({ path: `/api/orgs/${orgId}/key-results/${await make.keyResult()}` }),
  },
  'POST /api/orgs/{orgId}/initiatives': {
    line: permission('initiative', 'add'),
    status: 201,
    prepare: async () => ({
      path: `/api/orgs/${orgId}/initiatives`,
      body: { title: 'Route planner', ownerId: id('owner'), team: 'IT' },
    }),
  },
  'PATCH /api/orgs/{orgId}/initiatives/{initiativeId}': {
    line: permission('initiative', 'change'),
    status: 200,
    prepare: async () => ({
      path: `/api/orgs/${orgId}/initiatives/${await make.initiative()}`,
      body: { title: 'Scanners, phase 2' },
    }),
  },
  'DELETE /api/orgs/{orgId}/initiatives/{initiativeId}': {
    line: permission('initiative', 'remove'),
    status: 204,
    prepare: async () => ({ path: `/api/orgs/${orgId}/initiatives/${await make.initiative()}` }),
  },
  'POST /api/orgs/{orgId}/initiatives/{initiativeId}/override': {
    line: permission('status override', 'set, clear'),
    status: 204,
    prepare: async () => ({
      path: `/api/orgs/${orgId}/initiatives/${await make.initiative()}/override`,
      body: { status: 'at risk', reason: 'The vendor slipped a month' },
    }),
  },
  'DELETE /api/orgs/{orgId}/initiatives/{initiativeId}/override': {
    line: permission('status override', 'set, clear'),
    status: 204,
    prepare: async () => {
      const path = `/api/orgs/${orgId}/initiatives/${await make.initiative()}/override`;
      await ok(admin().post(path, { status: 'at risk', reason: 'The vendor slipped a month' }), 204);
      return { path };
    },
  },
  'POST /api/orgs/{orgId}/metrics': {
    line: permission('metric', 'add'),
    status: 201,
    prepare: async () => ({
      path: `/api/orgs/${orgId}/metrics`,
      body: {
        name: 'On-time deliveries',
        unit: 'percent',
        direction: 'higher',
        baseline: 80,
        target: 95,
        startAt: planInstant(0),
        targetAt: planInstant(100),
        ownerId: id('owner'),
      },
    }),
  },
  'PATCH /api/metrics/{metricId}': {
    line: permission('metric', 'change'),
    status: 200,
    prepare: async () => ({ path: `/api/metrics/${await make.metric()}`, body: { name: 'Fuel savings' } }),
  },
  'DELETE /api/metrics/{metricId}': {
    line: permission('metric', 'remove'),
    status: 204,
    prepare: async () => ({ path: `/api/metrics/${await make.metric()}` }),
  },
  'POST /api/metrics/{metricId}/override': {
    line: permission('status override', 'set, clear'),
    status: 204,
    prepare: async () => ({
      path: `/api/metrics/${await make.metric()}/override`,
      body: { status: 'on track', reason: 'The sensor is being replaced' },
    }),
  },
  'DELETE /api/metrics/{metricId}/override': {
    line: permission('status override', 'set, clear'),
    status: 204,
    prepare: async () => {
      const path = `/api/metrics/${await make.metric()}/override`;
      await ok(admin().post(path, { status: 'on track', reason: 'The sensor is being replaced' }), 204);
      return { path };
    },
  },
  'POST /api/metrics/{metricId}/readings': {
    line: permission('reading', 'push, correct, import'),
    status: 201,
    prepare: async () => ({
      path: `/api/metrics/${await make.metric()}/readings`,
      body: { value: 45, at: planInstant(45) },
    }),
  },
  'POST /api/orgs/{orgId}/readings': {
    line: permission('reading', 'push, correct, import'),
    status: 200,
    prepare: async () => ({
      path: `/api/orgs/${orgId}/readings`,
      body: { readings: [{ metricId: await make.metric(), value: 45, at: planInstant(45) }] },
    }),
  },
  'POST /api/orgs/{orgId}/imports/preview': {
    line: permission('reading', 'push, correct, import'),
    status: 200,
    prepare: async () => ({
      path: `/api/orgs/${orgId}/imports/preview`,
      body: csv('Fuel cost savings'),
      headers: { 'content-type': 'text/csv' },
    }),
  },
  'POST /api/orgs/{orgId}/imports': {
    line: permission('reading', 'push, correct, import'),
    status: 202,
    prepare: async () => ({
      path: `/api/orgs/${orgId}/imports?metric=KPI&at=Date&value=Actual`,
      body: csv('Fuel cost savings'),
      headers: { 'content-type': 'text/csv' },
    }),
    settle: async (body) => {
      const path = `/api/orgs/${orgId}/imports/${body.import.id}`;
      await eventually(async () => (await admin().get(path)).body.import.status !== 'running', 10_000, 'the import');
    },
  },
  'DELETE /api/metrics/{metricId}/readings/{readingId}': {
    line: permission('reading', 'delete'),
    status: 204,
    prepare: async () => {
      const { metricId, readingId } = await make.reading();
      return { path: `/api/metrics/${metricId}/readings/${readingId}` };
    },
  },
  'POST /api/orgs/{orgId}/dependencies': {
    line: permission('dependency', 'add, change, remove'),
    status: 201,
    prepare: async () => ({
      path: `/api/orgs/${orgId}/dependencies`,
      body: { dependentId: await make.initiative(), dependencyId: await make.initiative(id('admin')) },
    }),
  },
  'PATCH /api/orgs/{orgId}/dependencies/{dependencyId}': {
    line: permission('dependency', 'add, change, remove'),
    status: 200,
    prepare: async () => ({
      path: `/api/orgs/${orgId}/dependencies/${await make.dependency()}`,
      body: { note: 'Needed before the peak' },
    }),
  },
  'DELETE /api/orgs/{orgId}/dependencies/{dependencyId}': {
    line: permission('dependency', 'add, change, remove'),
    status: 204,
    prepare: async () => ({ path: `/api/orgs/${orgId}/dependencies/${await make.dependency()}` }),
  },
  'POST /api/orgs/{orgId}/reviews': {
    line: permission('review', 'schedule'),
    status: 201,
    prepare: async () => ({ path: `/api/orgs/${orgId}/reviews`, body: { title: 'Monthly review' } }),
  },
  'PATCH /api/reviews/{reviewId}': {
    line: permission('review', 'rename, reschedule, start, close, move phase, dismiss a pivot, set room roles'),
    status: 200,
    prepare: async () => ({ path: `/api/reviews/${await make.review()}`, body: { title: 'Weekly ops review, moved' } }),
  },
  'POST /api/reviews/{reviewId}/start': {
    line: permission('review', 'rename, reschedule, start, close, move phase, dismiss a pivot, set room roles'),
    status: 200,
    prepare: async () => ({ path: `/api/reviews/${await make.review()}/start` }),
  },
  'POST /api/reviews/{reviewId}/close': {
    line: permission('review', 'rename, reschedule, start, close, move phase, dismiss a pivot, set room roles'),
    status: 200,
    prepare: async () => ({ path: `/api/reviews/${await make.review('live')}/close` }),
  },
  'PUT /api/reviews/{reviewId}/phase': {
    line: permission('review', 'rename, reschedule, start, close, move phase, dismiss a pivot, set room roles'),
    status: 200,
    prepare: async () => ({ path: `/api/reviews/${await make.review('live')}/phase`, body: { phase: 'triage' } }),
  },
  'PUT /api/reviews/{reviewId}/participants/{userId}': {
    line: permission('review', 'rename, reschedule, start, close, move phase, dismiss a pivot, set room roles'),
    status: 200,
    prepare: async () => ({
      path: `/api/reviews/${await make.review()}/participants/${id('member')}`,
      body: { role: 'viewer' },
    }),
  },
  'POST /api/reviews/{reviewId}/items/{itemId}/dismiss-pivot': {
    line: permission('review', 'rename, reschedule, start, close, move phase, dismiss a pivot, set room roles'),
    status: 204,
    prepare: async () => {
      // A metric already off track pivots the review to triage when it goes live.
      const metricId = await make.metric();
      await ok(admin().post(`/api/metrics/${metricId}/readings`, { value: 10, at: planInstant(60) }));
      const reviewId = await make.review('live', [metricId]);
      const board = connectBoard(server.origin, people.facilitator.client, reviewId);
      try {
        await board.synced;
        const triage = () => readAgenda(board.doc).find((item) => item.kind === 'triage' && item.metricId === metricId);
        await eventually(() => triage()?.triage?.state === 'active', 5_000, 'the pivot');
        return { path: `/api/reviews/${reviewId}/items/${triage()!.id}/dismiss-pivot` };
      } finally {
        board.destroy();
      }
    },
  },
  'POST /api/reviews/{reviewId}/shares': {
    line: permission('share link', 'create, revoke'),
    status: 201,
    prepare: async () => ({ path: `/api/reviews/${await make.review('closed')}/shares`, body: {} }),
  },
  'DELETE /api/reviews/{reviewId}/shares/{shareId}': {
    line: permission('share link', 'create, revoke'),
    status: 204,
    prepare: async () => {
      const reviewId = await make.review('closed');
      const share = await ok(people.facilitator.client.post(`/api/reviews/${reviewId}/shares`, {}));
      return { path: `/api/reviews/${reviewId}/shares/${share.share.id}` };
    },
  },
  'POST /api/reviews/{reviewId}/actions': {
    line: permission('action item', 'record a decision'),
    status: 201,
    prepare: async () => ({
      path: `/api/reviews/${await make.review('live')}/actions`,
      body: { id: crypto.randomUUID(), title: 'Renegotiate fuel cards', ownerId: id('owner'), dueDate: nextYear() },
    }),
  },
  'PATCH /api/actions/{actionId}': {
    line: permission('action item', 'change, reassign, mark done or dropped'),
    status: 200,
    prepare: async () => {
      const action = await make.action();
      return { path: `/api/actions/${action.id}`, body: { version: action.version, title: 'Call two vendors' } };
    },
  },
  'POST /api/actions/{actionId}/commit': {
    line: permission('action item', 'commit, propose a due date'),
    status: 200,
    prepare: async () => {
      const action = await make.action();
      return { path: `/api/actions/${action.id}/commit`, body: { version: action.version } };
    },
  },
  'POST /api/actions/{actionId}/proposed-due-date': {
    line: permission('action item', 'commit, propose a due date'),
    status: 200,
    prepare: async () => {
      const action = await make.action();
      return {
        path: `/api/actions/${action.id}/proposed-due-date`,
        body: { dueDate: laterNextYear(), version: action.version },
      };
    },
  },
  'POST /api/actions/{actionId}/proposed-due-date/decision': {
    line: permission('action item', 'accept or decline a proposed due date'),
    status: 200,
    prepare: async () => {
      const action = await make.action();
      const proposed = await ok(
        people.owner.client.post(`/api/actions/${action.id}/proposed-due-date`, {
          dueDate: laterNextYear(),
          version: action.version,
        }),
        200,
      );
      return {
        path: `/api/actions/${action.id}/proposed-due-date/decision`,
        body: { accept: true, version: proposed.action.version },
      };
    },
  },
  'POST /api/me/notifications/read': {
    line: permission('my notifications, my calendar feed', 'mark read, rotate'),
    status: 200,
    prepare: async () => ({ path: '/api/me/notifications/read', body: { all: true } }),
  },
  'POST /api/me/calendar/rotate': {
    line: permission('my notifications, my calendar feed', 'mark read, rotate'),
    status: 200,
    prepare: async () => ({ path: '/api/me/calendar/rotate' }),
  },
};

// Tables a refused request must leave as they were. Left out: what background work writes on its own (board
// updates and snapshots, review events, notifications, webhook delivery attempts).
const GUARDED_TABLES = [
  'organizations',
  'memberships',
  'users',
  'invites',
  'api_tokens',
  'webhooks',
  'objectives',
  'key_results',
  'initiatives',
  'metrics',
  'metric_initiatives',
  'readings',
  'reading_history',
  'status_overrides',
  'initiative_dependencies',
  'import_jobs',
  'reviews',
  'review_participants',
  'review_shares',
  'action_items',
  'action_item_history',
  'calendar_feed_tokens',
];

async function fingerprint(): Promise<Record<string, string>> {
  const entries = await Promise.all(
    GUARDED_TABLES.map(async (table) => {
      const [row] = await server.db.sql.unsafe<{ digest: string }[]>(
        `select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${table} t`,
      );
      return [table, row!.digest] as const;
    }),
  );
  return Object.fromEntries(entries);
}

async function attempt(method: string, actor: ActorKind, prepared: Attempt) {
  const client = prepared.client ?? people[actor].client;
  return client.request(method, prepared.path, prepared.body ?? (method === 'DELETE' ? undefined : {}), {
    ...prepared.headers,
  });
}

let routes: string[];

describe('authorization matrix', () => {
  beforeAll(async () => {
    const document = (await (await fetch(`${server.origin}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    routes = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((method) => method !== 'get')
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
  });

  it('has a line of the table for every state-changing route, and no line without a route', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.filter((route) => !CASES[route])).toEqual([]);
    expect(Object.keys(CASES).filter((route) => !routes.includes(route))).toEqual([]);
    const used = new Set(Object.values(CASES).map((entry) => entry.line));
    expect(API_PERMISSIONS.filter((line) => !used.has(line))).toEqual([]);
  });

  it('lets exactly those the table allows change anything, and refused requests change nothing', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const entry = CASES[route]!;
      const method = route.split(' ')[0]!;
      const refused = ACTORS.filter((actor) => !allows(entry.line.who, actor));
      // The refused all try on one thing (it must survive them), then each allowed person on a fresh one.
      if (refused.length) {
        const prepared = await entry.prepare(refused[0]!);
        for (const actor of refused) {
          const before = await fingerprint();
          const response = await attempt(method, actor, prepared);
          const expected = actor === 'outsider' ? [403, 404] : [403];
          if (!expected.includes(response.status))
            failures.push(`${route} by ${actor}: ${response.status} ${JSON.stringify(response.body)}`);
          const after = await fingerprint();
          const changed = GUARDED_TABLES.filter((table) => before[table] !== after[table]);
          if (changed.length) failures.push(`${route} by ${actor} changed ${changed.join(', ')}`);
        }
      }
      for (const actor of ACTORS.filter((kind) => allows(entry.line.who, kind))) {
        const response = await attempt(method, actor, await entry.prepare(actor));
        if (response.status !== entry.status)
          failures.push(`${route} by ${actor}: ${response.status} ${JSON.stringify(response.body)}`);
        else await entry.settle?.(response.body);
      }
    }
    expect(failures).toEqual([]);
  }, 240_000);
});
