import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, signUp } from '../support/client.ts';
import { createMetric, planInstant } from '../support/portfolio.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

describe('status overrides', () => {
  it('shows the owner’s override beside the computed status and keeps every override in history', async () => {
    const owner = await signUp(server.origin, 'Metric Owner');
    const org = await createOrganization(owner.client, 'Override Org');
    const metric = await createMetric(owner.client, org.id, owner.user.id);
    await owner.client.post(`/api/metrics/${metric.id}/readings`, { value: 10, at: planInstant(50) });

    const set = await owner.client.post(`/api/metrics/${metric.id}/override`, {
      status: 'at risk',
      reason: 'Q3 savings are booked in October; the data lags by a month',
    });
    expect(set.status).toBe(204);
    const shown = (await owner.client.get(`/api/metrics/${metric.id}`)).body.metric;
    expect(shown.assessment.status).toBe('off track');
    expect(shown.override).toMatchObject({ status: 'at risk', setBy: { name: 'Metric Owner' } });

    await owner.client.post(`/api/metrics/${metric.id}/override`, {
      status: 'on track',
      reason: 'Confirmed with finance',
    });
    expect((await owner.client.delete(`/api/metrics/${metric.id}/override`)).status).toBe(204);
    expect((await owner.client.get(`/api/metrics/${metric.id}`)).body.metric.override).toBeNull();
    expect((await owner.client.delete(`/api/metrics/${metric.id}/override`)).status).toBe(404);

    const history = (await owner.client.get(`/api/metrics/${metric.id}/overrides`)).body.overrides;
    expect(history.map((o: { status: string }) => o.status)).toEqual(['on track', 'at risk']);
    expect(history.every((o: { clearedAt: string | null }) => o.clearedAt !== null)).toBe(true);
  });

  it('needs a reason and a real status, and only the owner or an admin may override', async () => {
    const admin = await signUp(server.origin, 'Admin');
    const org = await createOrganization(admin.client, 'Override Org 2');
    const metric = await createMetric(admin.client, org.id, admin.user.id);
    const bad = await admin.client.post(`/api/metrics/${metric.id}/override`, { status: 'fine', reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['reason', 'status']);

    const invite = await admin.client.post(`/api/orgs/${org.id}/invites`, {});
    const member = await signUp(server.origin, 'Member');
    await member.client.post(`/api/invites/${new URL(invite.body.url).pathname.split('/').pop()}/accept`);
    const refused = await member.client.post(`/api/metrics/${metric.id}/override`, {
      status: 'on track',
      reason: 'I say so',
    });
    expect(refused.status).toBe(403);
    const stranger = await signUp(server.origin, 'Stranger');
    expect(
      (await stranger.client.post(`/api/metrics/${metric.id}/override`, { status: 'on track', reason: 'hmm' })).status,
    ).toBe(404);
  });

  it("overrides an initiative's status for its owner, shows it in the portfolio and keeps the history", async () => {
    const admin = await signUp(server.origin, 'Initiative Admin');
    const org = await createOrganization(admin.client, 'Initiative Override Org');
    const base = `/api/orgs/${org.id}`;
    const invite = await admin.client.post(`${base}/invites`, {});
    const owner = await signUp(server.origin, 'Initiative Owner');
    await owner.client.post(`/api/invites/${new URL(invite.body.url).pathname.split('/').pop()}/accept`);
    const created = await admin.client.post(`${base}/initiatives`, {
      title: 'Handheld scanner rollout',
      ownerId: owner.user.id,
      team: 'Regional operations',
    });
    const id = created.body.initiative.id as string;
    expect(created.body.initiative.override).toBeNull();

    const set = await owner.client.post(`${base}/initiatives/${id}/override`, {
      status: 'at risk',
      reason: 'Scanner vendor delayed the second shipment',
    });
    expect(set.status).toBe(204);
    const shown = (await owner.client.get(`${base}/initiatives/${id}`)).body.initiative;
    expect(shown.status.delivery).toBe('no data');
    expect(shown.override).toMatchObject({ status: 'at risk', setBy: { name: 'Initiative Owner' } });
    const portfolio = (await admin.client.get(`${base}/portfolio`)).body;
    expect(portfolio.initiatives[0].override.reason).toBe('Scanner vendor delayed the second shipment');

    // The admin may override too; clearing keeps both in the history.
    await admin.client.post(`${base}/initiatives/${id}/override`, { status: 'off track', reason: 'Escalated' });
    expect((await admin.client.delete(`${base}/initiatives/${id}/override`)).status).toBe(204);
    expect((await owner.client.get(`${base}/initiatives/${id}`)).body.initiative.override).toBeNull();
    const history = (await owner.client.get(`${base}/initiatives/${id}/overrides`)).body.overrides;
    expect(history.map((o: { status: string }) => o.status)).toEqual(['off track', 'at risk']);
    expect(history[0].clearedBy).toMatchObject({ name: 'Initiative Admin' });
    expect(history[1].clearedBy).toMatchObject({ name: 'Initiative Admin' });
  });

  it('refuses initiative overrides from other members and hides initiatives of other organizations', async () => {
    const admin = await signUp(server.origin, 'Admin');
    const org = await createOrganization(admin.client, 'Initiative Override Org 2');
    const base = `/api/orgs/${org.id}`;
    const id = (
      await admin.client.post(`${base}/initiatives`, { title: 'Dispatch API', ownerId: admin.user.id, team: 'IT' })
    ).body.initiative.id as string;
    const invite = await admin.client.post(`${base}/invites`, {});
    const member = await signUp(server.origin, 'Member');
    await member.client.post(`/api/invites/${new URL(invite.body.url).pathname.split('/').pop()}/accept`);
    const refused = await member.client.post(`${base}/initiatives/${id}/override`, {
      status: 'on track',
      reason: 'Looks fine to me',
    });
    expect(refused.status).toBe(403);
    const bad = await admin.client.post(`${base}/initiatives/${id}/override`, { status: 'no data' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['reason', 'status']);

    const other = await signUp(server.origin, 'Other Admin');
    const otherOrg = await createOrganization(other.client, 'Elsewhere');
    const foreign = `/api/orgs/${otherOrg.id}/initiatives/${id}`;
    expect((await other.client.post(`${foreign}/override`, { status: 'on track', reason: 'Mine' })).status).toBe(404);
    expect((await other.client.get(`${foreign}/overrides`)).status).toBe(404);
    expect(
      (await other.client.post(`${base}/initiatives/${id}/override`, { status: 'on track', reason: 'x' })).status,
    ).toBe(403);
  });
});
