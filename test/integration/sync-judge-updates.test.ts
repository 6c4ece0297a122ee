// Rooms' `judgeUpdates` exists for the benchmark alone (test/bench/permissions-fanout.ts measures the permission
// check by turning it off): only an explicit `false` turns the check off. A missing or undefined value, as an options
// object built by spreading may carry, still judges every update; with `false` a member's forbidden move goes in.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { addItem, readAgenda, readRoom, setCurrentItem } from '../../server/domain/board.ts';
import { addMember, reviewFixture } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';

let server: TestServer | undefined;
const clients: BoardClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server?.stop();
  server = undefined;
});

/** A member adds a topic (anyone may) and then moves the room to it (only the facilitator may). */
async function memberMovesTheRoom(judgeUpdates: boolean | undefined) {
  server = await startTestServer({}, { rooms: { judgeUpdates } });
  const fixture = await reviewFixture(server.origin);
  const owner = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Olu Owner');
  const member = connectBoard(server.origin, owner.client, fixture.review.id);
  const facilitator = connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
  clients.push(member, facilitator);
  await Promise.all([member.synced, facilitator.synced]);
  const before = readRoom(facilitator.doc).currentItemId;
  const topicId = randomUUID();
  addItem(member.doc, { id: topicId, kind: 'free', title: 'Hiring plan', presenterId: owner.user.id });
  await eventually(
    () => readAgenda(facilitator.doc).some((item) => item.id === topicId),
    10_000,
    'the facilitator to see the topic',
  );
  setCurrentItem(member.doc, topicId);
  return { member, facilitator, before, topicId };
}

describe('Rooms judgeUpdates (the benchmark’s switch)', () => {
  it('judges every update when the option is undefined: the member’s move is undone', async () => {
    const { member, facilitator, before, topicId } = await memberMovesTheRoom(undefined);
    expect(before).not.toBe(topicId);
    await eventually(() => readRoom(member.doc).currentItemId === before, 10_000, 'the move undone');
    expect(readRoom(facilitator.doc).currentItemId).toBe(before);
    expect(member.closes).toEqual([]);
  });

  it('lets the forbidden move through only with judgeUpdates: false', async () => {
    const { facilitator, topicId } = await memberMovesTheRoom(false);
    await eventually(() => readRoom(facilitator.doc).currentItemId === topicId, 10_000, 'the move to arrive');
  });
});
