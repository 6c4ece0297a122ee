// The home's "Live now": a review going live or closing reaches the organization's live pages at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStream } from '../support/live.ts';
import { addMember, reviewFixture } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

describe('live reviews', () => {
  it("streams a review's start and close to the organization's members, and to no one else", async () => {
    const { facilitator, org, review } = await reviewFixture(server.origin);
    const member = await addMember(server.origin, facilitator.client, org.id, 'Mo Member');
    const outsider = await reviewFixture(server.origin);

    const stream = await openEventStream(server.origin, member.client, org.id);
    const elsewhere = await openEventStream(server.origin, outsider.facilitator.client, outsider.org.id);
    try {
      expect((await facilitator.client.post(`/api/reviews/${review.id}/start`)).status).toBe(200);
      expect(await stream.waitFor(() => stream.received.some((r) => r.event === 'review.started'))).toBe(true);
      expect(stream.received.find((r) => r.event === 'review.started')!.data).toMatchObject({
        organizationId: org.id,
        reviewId: review.id,
        title: 'Weekly ops review',
      });
      const live = await member.client.get(`/api/orgs/${org.id}/reviews`);
      expect(
        live.body.reviews.filter((r: { status: string }) => r.status === 'live').map((r: { id: string }) => r.id),
      ).toEqual([review.id]);

      expect((await facilitator.client.post(`/api/reviews/${review.id}/close`)).status).toBe(200);
      expect(await stream.waitFor(() => stream.received.some((r) => r.event === 'review.closed'))).toBe(true);
      expect(elsewhere.received.filter((r) => r.event.startsWith('review.'))).toEqual([]);
    } finally {
      await stream.close();
      await elsewhere.close();
    }
  });

  it('says nothing when a start is refused', async () => {
    const { facilitator, org, review } = await reviewFixture(server.origin);
    expect((await facilitator.client.post(`/api/reviews/${review.id}/start`)).status).toBe(200);
    const stream = await openEventStream(server.origin, facilitator.client, org.id);
    try {
      expect((await facilitator.client.post(`/api/reviews/${review.id}/start`)).status).toBe(409);
      expect((await facilitator.client.post(`/api/reviews/${review.id}/close`)).status).toBe(200);
      expect(await stream.waitFor(() => stream.received.some((r) => r.event === 'review.closed'))).toBe(true);
      expect(stream.received.filter((r) => r.event === 'review.started')).toEqual([]);
    } finally {
      await stream.close();
    }
  });
});
