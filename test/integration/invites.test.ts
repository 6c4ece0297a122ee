import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createOrganization, signUp } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const DAY = 24 * 60 * 60 * 1000;

async function adminWithInvite(body: Record<string, unknown> = {}) {
  const admin = await signUp(server.origin, 'Inviter');
  const org = await createOrganization(admin.client, 'Invite Org');
  const created = await admin.client.post(`/api/orgs/${org.id}/invites`, body);
  expect(created.status).toBe(201);
  const token = new URL(created.body.url).pathname.split('/').pop()!;
  return { admin, org, created: created.body, token };
}

describe('invites', () => {
  it('creates a link on the public URL that shows the organization to anyone who has it', async () => {
    const { org, created, token } = await adminWithInvite();
    expect(created.url).toBe(`${server.origin}/invite/${token}`);
    expect(created.invite).toMatchObject({ role: 'member', status: 'pending', acceptedBy: null });
    const expiresIn = new Date(created.invite.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(6.9 * DAY);
    expect(expiresIn).toBeLessThanOrEqual(7 * DAY);

    const preview = await new ApiClient(server.origin).get(`/api/invites/${token}`);
    expect(preview.status).toBe(200);
    expect(preview.body.invite).toMatchObject({
      organization: { id: org.id, name: 'Invite Org' },
      role: 'member',
      invitedBy: { name: 'Inviter' },
    });
  });

  it('stores only a hash of the invite token', async () => {
    const { token } = await adminWithInvite();
    const rows = await server.db.sql`select token_hash from invites`;
    expect(rows.every((row) => row.tokenHash !== token && /^[0-9a-f]{64}$/.test(row.tokenHash))).toBe(true);
  });

  it('lets a signed-in user join with the role of the invite, once', async () => {
    const { admin, org, token } = await adminWithInvite({ role: 'admin' });
    const joiner = await signUp(server.origin, 'Joiner');
    const accepted = await joiner.client.post(`/api/invites/${token}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.organization).toEqual({ id: org.id, name: 'Invite Org', role: 'admin' });
    expect((await joiner.client.get('/api/me')).body.organizations).toEqual([accepted.body.organization]);

    const list = await admin.client.get(`/api/orgs/${org.id}/invites`);
    expect(list.body.invites[0]).toMatchObject({
      status: 'accepted',
      acceptedBy: { id: joiner.user.id, name: 'Joiner' },
    });

    const latecomer = await signUp(server.origin, 'Latecomer');
    const second = await latecomer.client.post(`/api/invites/${token}/accept`);
    expect(second.status).toBe(410);
    expect(second.body.error).toMatch(/already used/);
    expect((await latecomer.client.get('/api/me')).body.organizations).toEqual([]);
    expect((await new ApiClient(server.origin).get(`/api/invites/${token}`)).status).toBe(410);
  });

  it('lets exactly one of two people racing for the same link join', async () => {
    const { token } = await adminWithInvite();
    const [one, two] = await Promise.all([signUp(server.origin, 'One'), signUp(server.origin, 'Two')]);
    const results = await Promise.all([
      one.client.post(`/api/invites/${token}/accept`),
      two.client.post(`/api/invites/${token}/accept`),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
  });

  it('does not use up the link when a member opens it again', async () => {
    const { admin, org, token } = await adminWithInvite();
    const again = await admin.client.post(`/api/invites/${token}/accept`);
    expect(again.status).toBe(200);
    expect(again.body.organization.role).toBe('admin');
    expect((await admin.client.get(`/api/orgs/${org.id}/invites`)).body.invites[0].status).toBe('pending');
  });

  it('refuses an expired link', async () => {
    const { token } = await adminWithInvite({ expiresInDays: 1 });
    const joiner = await signUp(server.origin);
    server.clock.advance(DAY + 1000);
    try {
      const response = await joiner.client.post(`/api/invites/${token}/accept`);
      expect(response.status).toBe(410);
      expect(response.body.error).toMatch(/expired/);
    } finally {
      server.clock.advance(-(DAY + 1000));
    }
  });

  it('refuses a revoked link', async () => {
    const { admin, org, created, token } = await adminWithInvite();
    expect((await admin.client.delete(`/api/orgs/${org.id}/invites/${created.invite.id}`)).status).toBe(204);
    const joiner = await signUp(server.origin);
    const response = await joiner.client.post(`/api/invites/${token}/accept`);
    expect(response.status).toBe(410);
    expect(response.body.error).toMatch(/revoked/);
    expect((await admin.client.delete(`/api/orgs/${org.id}/invites/${created.invite.id}`)).status).toBe(404);
  });

  it('needs a session to accept and answers unknown or malformed tokens clearly', async () => {
    const { token } = await adminWithInvite();
    expect((await new ApiClient(server.origin).post(`/api/invites/${token}/accept`)).status).toBe(401);
    expect((await new ApiClient(server.origin).get(`/api/invites/${'a'.repeat(32)}`)).status).toBe(404);
    const malformed = await new ApiClient(server.origin).get('/api/invites/nope');
    expect(malformed.status).toBe(400);
    expect(malformed.body.issues[0].path).toBe('param.token');
  });

  it('validates the invite options', async () => {
    const admin = await signUp(server.origin);
    const org = await createOrganization(admin.client);
    const response = await admin.client.post(`/api/orgs/${org.id}/invites`, { role: 'owner', expiresInDays: 90 });
    expect(response.status).toBe(400);
    expect(response.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['expiresInDays', 'role']);
  });
});
