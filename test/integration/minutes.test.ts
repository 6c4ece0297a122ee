// Minutes of a scripted review through the real server: people type notes over y-websocket, a decision is
// recorded and committed, the facilitator closes the review; the minutes (JSON and Markdown), the recap on the
// board, the copy kept at close and the queued review.minutes webhook all say what happened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notesOf, readAgenda, setItemFields } from '../../server/domain/board.ts';
import { readRecap } from '../../server/domain/recap.ts';
import { MinutesSchema } from '../../server/http/minutes-schemas.ts';
import { createOrganization, signUp } from '../support/client.ts';
import { createMetric, planInstant } from '../support/portfolio.ts';
import { addMember, createReview, reviewFixture, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;
let owner: Person;
let ownerBoard: BoardClient;
let actionId: string;
let itemId: string;
let closeResponse: { status: number };

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const NOTES = 'Diesel up 9%.\n# not a heading <script>alert(1)</script> [x](http://evil.example)';

beforeAll(async () => {
  server = await startTestServer();
  fixture = await reviewFixture(server.origin);
  owner = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Sofia Owner');
});
afterAll(async () => {
  ownerBoard?.destroy();
  await server?.stop();
});

const base = () => `/api/reviews/${fixture.review.id}`;

describe('minutes', () => {
  it('do not exist before the review has been held', async () => {
    const response = await owner.client.get(`${base()}/minutes`);
    expect(response.status).toBe(409);
    expect(response.body.error).toMatch(/not started/);
    expect((await owner.client.get(`${base()}/minutes.md`)).status).toBe(409);
  });

  it('are a draft while the review is live', async () => {
    const hook = await fixture.facilitator.client.post(`/api/orgs/${fixture.org.id}/webhooks`, {
      url: 'http://127.0.0.1:9/minutes',
      events: ['review.minutes'],
    });
    expect(hook.status).toBe(201);
    expect((await fixture.facilitator.client.post(`${base()}/start`)).status).toBe(200);

    const facilitatorBoard = connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
    ownerBoard = connectBoard(server.origin, owner.client, fixture.review.id);
    await Promise.all([facilitatorBoard.synced, ownerBoard.synced]);
    itemId = readAgenda(ownerBoard.doc)[0]!.id;
    notesOf(ownerBoard.doc, itemId)!.insert(0, NOTES);
    await eventually(
      async () => {
        const stored = await owner.client.get(`${base()}/minutes`);
        return stored.body.minutes?.items[0]?.notes === NOTES;
      },
      5_000,
      'the notes to be stored',
    );
    facilitatorBoard.destroy();

    actionId = crypto.randomUUID();
    const recorded = await fixture.facilitator.client.post(`${base()}/actions`, {
      id: actionId,
      itemId,
      title: 'Hedge *diesel* for Q1',
      ownerId: owner.user.id,
      dueDate: inDays(20),
    });
    expect(recorded.status).toBe(201);
    expect((await owner.client.post(`/api/actions/${actionId}/commit`, {})).status).toBe(200);

    const draft = (await owner.client.get(`${base()}/minutes`)).body.minutes;
    expect(draft.draft).toBe(true);
    expect(draft.decisions).toEqual([expect.objectContaining({ id: actionId, status: 'committed' })]);
  });

  it('are generated at close, shown in the room, kept, and queued for webhooks', async () => {
    closeResponse = await fixture.facilitator.client.post(`${base()}/close`);
    expect(closeResponse.status).toBe(200);
    // Everyone still in the room learns that the minutes are ready.
    await eventually(() => readRecap(ownerBoard.doc).minutesReady, 5_000, 'the recap on the board');
    expect(readRecap(ownerBoard.doc).summary).toMatchObject({ decisions: 1, committed: 1, attendees: 2 });

    const [kept] = await server.db.sql<{ markdown: string }[]>`
      select markdown from review_minutes where review_id = ${fixture.review.id}
    `;
    expect(kept?.markdown).toContain('Hedge \\*diesel\\* for Q1');

    await eventually(
      async () =>
        (
          await server.db.sql`
            select 1 from webhook_deliveries where event = 'review.minutes'
          `
        ).length === 1,
      5_000,
      'the review.minutes delivery to be queued',
    );
    const [delivery] = await server.db.sql<{ payload: { event: string; data: Record<string, unknown> } }[]>`
      select payload from webhook_deliveries where event = 'review.minutes'
    `;
    expect(delivery!.payload.event).toBe('review.minutes');
    expect(delivery!.payload.data).toMatchObject({
      reviewId: fixture.review.id,
      title: 'Weekly ops review',
      decisions: [{ id: actionId, title: 'Hedge *diesel* for Q1', owner: 'Sofia Owner', status: 'committed' }],
    });
    expect(delivery!.payload.data.markdown).toContain('# Minutes: Weekly ops review');
    expect(delivery!.payload.data.url).toBe(`${server.origin}/reviews/${fixture.review.id}/minutes`);
  });

  it('say who was there, what was noted and decided, and link each decision to its moment', async () => {
    const { minutes } = (await owner.client.get(`${base()}/minutes`)).body;
    expect(minutes.draft).toBe(false);
    expect(minutes.review.closedAt).not.toBeNull();
    expect(
      minutes.attendees.map((a: { name: string; facilitator: boolean }) => [a.name, a.facilitator]).sort(),
    ).toEqual([
      ['Fran Facilitator', true],
      ['Sofia Owner', false],
    ]);
    expect(minutes.items[0].notes).toBe(NOTES);
    const [decision] = minutes.decisions;
    expect(decision).toMatchObject({
      id: actionId,
      itemId,
      title: 'Hedge *diesel* for Q1',
      owner: { id: owner.user.id, name: 'Sofia Owner' },
      dueDate: inDays(20),
      status: 'committed',
    });
    expect(decision.committedAt).not.toBeNull();
    const events = (await owner.client.get(`${base()}/history/events?limit=1000`)).body.events as {
      kind: string;
      at: string;
      data: { actionId?: string };
    }[];
    const recorded = events.find((e) => e.kind === 'action.recorded' && e.data.actionId === actionId)!;
    expect(decision.replayLink).toBe(`/reviews/${fixture.review.id}/replay?at=${Date.parse(recorded.at)}`);
  });

  it('download as Markdown with what people typed escaped', async () => {
    const response = await fetch(`${server.origin}${base()}/minutes.md`, {
      headers: { cookie: owner.client.cookie!, origin: server.origin },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="minutes-weekly-ops-review-/);
    const markdown = await response.text();
    expect(markdown).toContain('- Fran Facilitator (facilitator)');
    expect(markdown).toContain('> \\# not a heading \\<script\\>alert(1)\\</script\\> \\[x\\](http\\://evil.example)');
    expect(markdown).toMatch(
      new RegExp(`\\[replay\\]\\(<${server.origin}/reviews/${fixture.review.id}/replay\\?at=\\d+>\\)`),
    );
    expect(markdown).not.toContain('<script>');
  });

  it('are for members of the organization only', async () => {
    const stranger = await signUp(server.origin, 'Stranger');
    await createOrganization(stranger.client, 'Elsewhere');
    expect((await stranger.client.get(`${base()}/minutes`)).status).toBe(403);
    expect((await stranger.client.get(`${base()}/minutes.md`)).status).toBe(403);
    expect((await fetch(`${server.origin}${base()}/minutes`)).status).toBe(401);
  });

  it('name nobody outside the organization, whatever id the board holds', async () => {
    // Issue 26, item 11: an item's presenterId set to another organization's user id was resolved to their name.
    const outsider = await signUp(server.origin, 'Olga Outsider');
    await createOrganization(outsider.client, 'Other Org');
    const review = await createReview(fixture.facilitator.client, fixture.org.id, {
      title: 'Presenter check',
      metricIds: [fixture.metric.id],
    });
    expect((await fixture.facilitator.client.post(`/api/reviews/${review.id}/start`)).status).toBe(200);
    // Only the facilitator edits an item's presenter (the board's permissions), and the board does not know who
    // belongs to the organization: the minutes must not trust the id.
    const board = connectBoard(server.origin, fixture.facilitator.client, review.id);
    await board.synced;
    const [first, second] = readAgenda(board.doc);
    setItemFields(board.doc, first!.id, { presenterId: outsider.user.id });
    if (second) setItemFields(board.doc, second.id, { presenterId: owner.user.id });
    const presenters = async () => {
      const response = await owner.client.get(`/api/reviews/${review.id}/minutes`);
      return (response.body.minutes?.items ?? []).map((item: { presenter: string | null }) => item.presenter);
    };
    // The metric's owner presented it until the edit is stored.
    await eventually(async () => (await presenters())[0] !== 'Fran Facilitator', 5_000, 'the presenter to be stored');
    board.destroy();
    const shown = await presenters();
    expect(shown[0]).toBe('Someone');
    if (second) expect(shown[1]).toBe('Sofia Owner');
    const markdown = await fetch(`${server.origin}/api/reviews/${review.id}/minutes.md`, {
      headers: { cookie: owner.client.cookie!, origin: server.origin },
    });
    expect(markdown.status).toBe(200);
    expect(await markdown.text()).not.toContain('Olga Outsider');
  });

  it('keep the reason a recovered pivot had, and say where its metric stood at the close', async () => {
    // Issue 19: once the metric recovered, the pivot's reason read "-1% behind plan".
    const { client, user } = fixture.facilitator;
    const metric = await createMetric(client, fixture.org.id, user.id, { name: 'Fuel savings' });
    const reading = async (value: number, progress: number) =>
      expect(
        (await client.post(`/api/metrics/${metric.id}/readings`, { value, at: planInstant(progress) })).status,
      ).toBe(201);
    await reading(50, 50);
    const review = await createReview(client, fixture.org.id, { title: 'Recovery check', metricIds: [metric.id] });
    expect((await client.post(`/api/reviews/${review.id}/start`)).status).toBe(200);
    const triageEvents = async () =>
      (
        await server.db.sql<{ kind: string }[]>`
          select kind from review_events where review_id = ${review.id} and kind like 'triage.%' order by id
        `
      ).map((event) => event.kind);
    await reading(20, 55); // 35% behind plan, threshold 15%
    await eventually(async () => (await triageEvents()).length === 1, 5_000, 'the pivot');
    await reading(62, 60); // 2% ahead
    await eventually(async () => (await triageEvents()).length === 2, 5_000, 'the recovery');
    expect(await triageEvents()).toEqual(['triage.pivoted', 'triage.recovered']);
    expect((await client.post(`/api/reviews/${review.id}/close`)).status).toBe(200);

    const { minutes } = (await owner.client.get(`/api/reviews/${review.id}/minutes`)).body;
    const expected = {
      why: 'Fuel savings 35% behind plan (threshold 15%)',
      current: 'Fuel savings now 2% ahead of plan',
      outcome: 'recovered',
    };
    expect(minutes.pivots).toEqual([expect.objectContaining({ metricId: metric.id, ...expected })]);
    const item = minutes.items.find(
      (entry: { pivot: { metricId: string } | null }) => entry.pivot?.metricId === metric.id,
    );
    expect(item.pivot).toMatchObject(expected);
    // The documented shape names the field: zod drops the ones a schema does not name.
    expect(MinutesSchema.parse(minutes)).toEqual(minutes);

    const markdown = await fetch(`${server.origin}/api/reviews/${review.id}/minutes.md`, {
      headers: { cookie: owner.client.cookie!, origin: server.origin },
    });
    expect(markdown.status).toBe(200);
    const text = await markdown.text();
    expect(text).toMatch(
      /- \*\*Fuel savings\*\*: Fuel savings 35% behind plan \(threshold 15%\), .*; recovered at .*\. Now: Fuel savings now 2% ahead of plan · \[replay\]/,
    );
    expect(text).toContain('Now: Fuel savings now 2% ahead of plan.');
  });
});
