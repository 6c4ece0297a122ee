// The review API: scheduling with a generated agenda, validation, access, and running a review.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAgenda, readRoom } from '../../server/domain/board.ts';
import { createOrganization, signUp } from '../support/client.ts';
import { createMetric, planInstant } from '../support/portfolio.ts';
import { addMember, createReview, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually } from '../support/sync.ts';

let server: TestServer;
let facilitator: Person;
let owner: Person;
let orgId: string;

beforeAll(async () => {
  server = await startTestServer();
  facilitator = await signUp(server.origin, 'Fran Facilitator');
  orgId = (await createOrganization(facilitator.client, 'Reviews Org')).id;
  owner = await addMember(server.origin, facilitator.client, orgId, 'Olu Owner');
});
afterAll(() => server?.stop());

describe('scheduling a review', () => {
  it('generates one status update per metric and initiative, off track first', async () => {
    const onTrack = await createMetric(facilitator.client, orgId, facilitator.user.id, { name: 'On-time deliveries' });
    const offTrack = await createMetric(facilitator.client, orgId, owner.user.id, { name: 'Fuel cost savings' });
    // At mid-year the plan expects 50; 20 is 30% behind, past the 15% threshold.
    const reading = await facilitator.client.post(`/api/metrics/${offTrack.id}/readings`, {
      value: 20,
      at: planInstant(50),
    });
    expect(reading.status).toBe(201);
    await facilitator.client.post(`/api/metrics/${onTrack.id}/readings`, { value: 50, at: planInstant(50) });
    const initiative = await facilitator.client.post(`/api/orgs/${orgId}/initiatives`, {
      title: 'Handheld scanner rollout',
      ownerId: owner.user.id,
      team: 'Regional operations',
    });
    expect(initiative.status).toBe(201);

    // A year ahead: a start in the past is refused.
    const year = new Date().getUTCFullYear() + 1;
    const review = await createReview(facilitator.client, orgId, {
      title: `Weekly ops review, ${year}-11-24`,
      series: 'Weekly ops review',
      scheduledAt: `${year}-11-24T09:00:00+01:00`,
      metricIds: [onTrack.id, offTrack.id],
      initiativeIds: [initiative.body.initiative.id],
    });
    expect(review).toMatchObject({
      status: 'scheduled',
      phase: 'check-in',
      scheduledAt: `${year}-11-24T08:00:00.000Z`,
      series: { title: 'Weekly ops review' },
      me: { role: 'facilitator', readOnly: false, canFacilitate: true },
      participants: [{ userId: facilitator.user.id, role: 'facilitator' }],
    });

    const board = connectBoard(server.origin, facilitator.client, review.id);
    await board.synced;
    const agenda = readAgenda(board.doc);
    expect(agenda.map((item) => [item.title, item.kind])).toEqual([
      ['Fuel cost savings', 'status-update'], // off track
      ['Handheld scanner rollout', 'status-update'], // no data yet: needs a look before what is on track
      ['On-time deliveries', 'status-update'], // on track
    ]);
    expect(agenda[0]).toMatchObject({ metricId: offTrack.id, presenterId: owner.user.id });
    expect(agenda[1]).toMatchObject({ initiativeId: initiative.body.initiative.id });
    expect(readRoom(board.doc).currentItemId).toBe(agenda[0]!.id);
    board.destroy();

    // A second review of the same series reuses it, whatever the capitalisation.
    const next = await createReview(facilitator.client, orgId, { series: 'weekly OPS review' });
    expect(next).toMatchObject({ series: (review as unknown as { series: { id: string } }).series });
  });

  it('rejects invalid input with the field and the reason', async () => {
    const other = await signUp(server.origin, 'Other');
    const otherOrg = await createOrganization(other.client, 'Other Org');
    const foreignMetric = await createMetric(other.client, otherOrg.id, other.user.id);
    const response = await facilitator.client.post(`/api/orgs/${orgId}/reviews`, {
      title: '   ',
      scheduledAt: 'next tuesday',
      metricIds: ['nope'],
    });
    expect(response.status).toBe(400);
    expect(response.body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual([
      'metricIds.0',
      'scheduledAt',
      'title',
    ]);

    const references = await facilitator.client.post(`/api/orgs/${orgId}/reviews`, {
      title: 'Ops',
      metricIds: [foreignMetric.id],
      participants: [
        { userId: other.user.id, role: 'owner' },
        { userId: facilitator.user.id, role: 'facilitator' },
        { userId: owner.user.id, role: 'facilitator' },
      ],
    });
    expect(references.status).toBe(400);
    expect(references.body.issues).toEqual(
      expect.arrayContaining([
        { path: 'metricIds', message: 'must all be metrics of this organization' },
        { path: 'participants.0.userId', message: 'must be a member of this organization' },
        { path: 'participants', message: 'may have one facilitator at most' },
      ]),
    );
    const listed = await facilitator.client.get(`/api/orgs/${orgId}/reviews`);
    expect(listed.status).toBe(200);
    expect(listed.body.reviews.map((review: { title: string }) => review.title)).not.toContain('Ops');
  });

  it('shows a review to members only', async () => {
    const review = await createReview(facilitator.client, orgId, { title: 'Members only' });
    expect((await owner.client.get(`/api/reviews/${review.id}`)).body.review.me).toEqual({
      role: 'owner',
      readOnly: false,
      canFacilitate: false,
    });
    const outsider = await signUp(server.origin, 'Outsider');
    expect((await outsider.client.get(`/api/reviews/${review.id}`)).status).toBe(403);
    expect((await owner.client.get(`/api/reviews/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await owner.client.get(`/api/reviews/not-a-uuid`)).status).toBe(400);
    const list = await owner.client.get(`/api/orgs/${orgId}/reviews`);
    expect(list.body.reviews.map((r: { id: string }) => r.id)).toContain(review.id);
    expect((await outsider.client.get(`/api/orgs/${orgId}/reviews`)).status).toBe(403);
  });
});

describe('running a review', () => {
  it('lets the facilitator start it, move phases (the board follows) and close it', async () => {
    const review = await createReview(facilitator.client, orgId, { title: 'Run me' });
    const base = `/api/reviews/${review.id}`;
    expect((await owner.client.post(`${base}/start`)).status).toBe(403);
    const started = await facilitator.client.post(`${base}/start`);
    expect(started.body.review).toMatchObject({ status: 'live' });
    expect(started.body.review.startedAt).not.toBeNull();
    expect((await facilitator.client.post(`${base}/start`)).status).toBe(409);

    const board = connectBoard(server.origin, owner.client, review.id);
    await board.synced;
    expect((await owner.client.request('PUT', `${base}/phase`, { phase: 'triage' })).status).toBe(403);
    expect((await facilitator.client.request('PUT', `${base}/phase`, { phase: 'sideways' })).status).toBe(400);
    const phased = await facilitator.client.request('PUT', `${base}/phase`, { phase: 'triage' });
    expect(phased.body.review.phase).toBe('triage');
    await eventually(() => readRoom(board.doc).phase === 'triage', 5_000, 'the board to show the phase');

    const closed = await facilitator.client.post(`${base}/close`);
    expect(closed.body.review).toMatchObject({ status: 'closed', me: { readOnly: true } });
    expect((await facilitator.client.request('PUT', `${base}/phase`, { phase: 'wrap-up' })).status).toBe(409);
    board.destroy();

    const { events } = (await facilitator.client.get(`${base}/history/events?limit=1000`)).body as {
      events: { kind: string }[];
    };
    // Joins and leaves are logged too (the board client above); their timing depends on the socket.
    expect(events.map((event) => event.kind).filter((kind) => !kind.startsWith('room.'))).toEqual([
      'review.scheduled',
      'review.started',
      'review.phase',
      'review.closed',
    ]);
    expect(events.map((event) => event.kind)).toContain('room.joined');
  });

  it('hands the facilitator role on only from the facilitator or an admin: nobody raises their own rights', async () => {
    // Issue 26: a viewer (and a plain member) could make himself facilitator while the facilitator was away.
    const lead = await addMember(server.origin, facilitator.client, orgId, 'Lee Lead');
    const viewer = await addMember(server.origin, facilitator.client, orgId, 'Vic Viewer');
    const review = await createReview(facilitator.client, orgId, {
      title: 'Hand over',
      participants: [
        { userId: lead.user.id, role: 'facilitator' },
        { userId: viewer.user.id, role: 'viewer' },
      ],
    });
    const setRole = (who: Person, userId: string, role: string) =>
      who.client.request('PUT', `/api/reviews/${review.id}/participants/${userId}`, { role });

    // The facilitator is not in the room: the old rule let anyone claim it then.
    expect(server.rooms.isPresent(review.id, lead.user.id)).toBe(false);
    for (const role of ['facilitator', 'owner']) {
      const raised = await setRole(viewer, viewer.user.id, role);
      expect(raised.status).toBe(403);
      expect(raised.body.error).toMatch(/Only the facilitator/);
    }
    expect((await setRole(owner, owner.user.id, 'facilitator')).status).toBe(403);
    expect((await setRole(owner, lead.user.id, 'viewer')).status).toBe(403);
    const unchanged = await facilitator.client.get(`/api/reviews/${review.id}`);
    const rolesOf = (participants: { userId: string; role: string }[]) =>
      Object.fromEntries(participants.map((p) => [p.userId, p.role]));
    expect(rolesOf(unchanged.body.review.participants)).toEqual({
      [lead.user.id]: 'facilitator',
      [viewer.user.id]: 'viewer',
    });

    // The facilitator hands over; so may an organization admin who is not in the review.
    const handed = await setRole(lead, owner.user.id, 'facilitator');
    expect(handed.status).toBe(200);
    expect(rolesOf(handed.body.review.participants)).toMatchObject({
      [owner.user.id]: 'facilitator',
      [lead.user.id]: 'owner',
    });
    const byAdmin = await setRole(facilitator, lead.user.id, 'facilitator');
    expect(byAdmin.status).toBe(200);
    expect(rolesOf(byAdmin.body.review.participants)).toMatchObject({
      [lead.user.id]: 'facilitator',
      [owner.user.id]: 'owner',
    });
  });

  it('tells everyone already in the room when the review itself changes', async () => {
    // Issue 27: going live did not reach people already in the room until they reloaded.
    const review = await createReview(facilitator.client, orgId, { title: 'Watch me' });
    const base = `/api/reviews/${review.id}`;
    const watcher = connectBoard(server.origin, owner.client, review.id);
    await watcher.synced;
    const revision = () => readRoom(watcher.doc).reviewRevision;
    const before = revision();
    const changes: [string, () => Promise<{ status: number }>][] = [
      ['start', () => facilitator.client.post(`${base}/start`)],
      ['rename', () => facilitator.client.request('PATCH', base, { title: 'Watch me, renamed' })],
      ['role', () => facilitator.client.request('PUT', `${base}/participants/${owner.user.id}`, { role: 'viewer' })],
      ['close', () => facilitator.client.post(`${base}/close`)],
    ];
    let expected = before;
    for (const [what, change] of changes) {
      expect((await change()).status, what).toBe(200);
      expected += 1;
      await eventually(() => revision() === expected, 5_000, `the room to hear of the ${what}`);
    }
    watcher.destroy();
  });
});
