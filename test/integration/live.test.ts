import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, signUp } from '../support/client.ts';
import { openEventStream } from '../support/live.ts';
import { createMetric, planInstant } from '../support/portfolio.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

describe('live events', () => {
  it("streams the organization's metric updates and crossings to its members, and nothing of other organizations", async () => {
    const admin = await signUp(server.origin, 'Live Admin');
    const org = await createOrganization(admin.client, 'Live Org');
    const metric = await createMetric(admin.client, org.id, admin.user.id);
    const other = await signUp(server.origin, 'Other Live');
    const otherOrg = await createOrganization(other.client, 'Other Live Org');
    const otherMetric = await createMetric(other.client, otherOrg.id, other.user.id);

    const stream = await openEventStream(server.origin, admin.client, org.id);
    expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
    try {
      await other.client.post(`/api/metrics/${otherMetric.id}/readings`, { value: 1, at: planInstant(50) });
      await admin.client.post(`/api/metrics/${metric.id}/readings`, { value: 10, at: planInstant(50) });
      expect(await stream.waitFor(() => stream.received.some((r) => r.event === 'metric.slipped'))).toBe(true);
      const events = stream.received.filter((r) => r.event !== 'ready');
      expect(events.map((r) => r.event)).toEqual(['metric.updated', 'metric.slipped']);
      expect(events[0]!.data).toMatchObject({ metricId: metric.id, status: 'off track', organizationId: org.id });
    } finally {
      await stream.close();
    }
  });

  it('refuses the stream to non-members', async () => {
    const admin = await signUp(server.origin);
    const org = await createOrganization(admin.client);
    const stranger = await signUp(server.origin);
    expect((await stranger.client.get(`/api/orgs/${org.id}/events`)).status).toBe(403);
  });
});
