// Slip thresholds: per metric, with an organization default that admins set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, signUp } from '../support/client.ts';
import { createMetric } from '../support/portfolio.ts';
import { addMember } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

describe('slip thresholds', () => {
  it('gives new metrics the organization default, which only admins change', async () => {
    const admin = await signUp(server.origin, 'Ada Admin');
    const org = await createOrganization(admin.client, 'Threshold Org');
    const member = await addMember(server.origin, admin.client, org.id, 'Max Member');
    const settings = `/api/orgs/${org.id}/settings`;
    expect((await member.client.get(settings)).body).toEqual({ defaultSlipThreshold: 0.15 });
    expect((await member.client.request('PUT', settings, { defaultSlipThreshold: 0.1 })).status).toBe(403);
    const invalid = await admin.client.request('PUT', settings, { defaultSlipThreshold: 2 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.issues[0].path).toBe('defaultSlipThreshold');
    expect((await admin.client.request('PUT', settings, { defaultSlipThreshold: 0.1 })).body).toEqual({
      defaultSlipThreshold: 0.1,
    });

    const defaulted = await admin.client.get(
      `/api/metrics/${(await createMetric(admin.client, org.id, admin.user.id)).id}`,
    );
    expect(defaulted.body.metric.slipThreshold).toBe(0.1);
    const own = await createMetric(admin.client, org.id, admin.user.id, { slipThreshold: 0.25 });
    expect((await admin.client.get(`/api/metrics/${own.id}`)).body.metric.slipThreshold).toBe(0.25);
  });
});
