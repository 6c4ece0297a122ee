import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createOrganization, signUp } from '../support/client.ts';
import { createMetric, planInstant } from '../support/portfolio.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

/** Opens the organization's event stream and collects the event names it receives. */
async function openStream(client: ApiClient, orgId: string) {
  const controller = new AbortController();
  const response = await fetch(`${server.origin}/api/orgs/${orgId}/events`, {
    headers: { cookie: client.cookie! },
    signal: controller.signal,
  });
  const received: { event: string; data: any }[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event) received.push({ event, data: data ? JSON.parse(data) : null });
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  const waitFor = async (predicate: () => boolean) => {
    for (let i = 0; i < 100 && !predicate(); i++) await new Promise((r) => setTimeout(r, 20));
    return predicate();
  };
  await waitFor(() => received.some((r) => r.event === 'ready'));
  return {
    response,
    received,
    waitFor,
    async close() {
      controller.abort();
      await pump;
    },
  };
}

describe('live events', () => {
  it("streams the organization's metric updates and crossings to its members, and nothing of other organizations", async () => {
    const admin = await signUp(server.origin, 'Live Admin');
    const org = await createOrganization(admin.client, 'Live Org');
    const metric = await createMetric(admin.client, org.id, admin.user.id);
    const other = await signUp(server.origin, 'Other Live');
    const otherOrg = await createOrganization(other.client, 'Other Live Org');
    const otherMetric = await createMetric(other.client, otherOrg.id, other.user.id);

    const stream = await openStream(admin.client, org.id);
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
