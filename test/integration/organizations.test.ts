import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createOrganization, signUp } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

describe('organizations', () => {
  it('makes the creator its admin and lists it in /api/me', async () => {
    const { client } = await signUp(server.origin, 'Founder');
    const created = await client.post('/api/orgs', { name: '  Northwind  ' });
    expect(created.status).toBe(201);
    expect(created.body.organization).toMatchObject({ name: 'Northwind', role: 'admin' });
    const me = await client.get('/api/me');
    expect(me.body.organizations).toEqual([created.body.organization]);
    const members = await client.get(`/api/orgs/${created.body.organization.id}/members`);
    expect(members.body.members).toHaveLength(1);
    expect(members.body.members[0]).toMatchObject({ name: 'Founder', role: 'admin' });
  });

  it('lets a user belong to several organizations', async () => {
    const { client } = await signUp(server.origin);
    await createOrganization(client, 'Alpha Org');
    await createOrganization(client, 'Beta Org');
    const me = await client.get('/api/me');
    expect(me.body.organizations.map((o: { name: string }) => o.name)).toEqual(['Alpha Org', 'Beta Org']);
  });

  it('validates the name', async () => {
    const { client } = await signUp(server.origin);
    const response = await client.post('/api/orgs', { name: 'x' });
    expect(response.status).toBe(400);
    expect(response.body.issues).toEqual([{ path: 'name', message: 'must be at least 2 characters' }]);
  });

  it('requires a session', async () => {
    const response = await new ApiClient(server.origin).post('/api/orgs', { name: 'Nobody Org' });
    expect(response.status).toBe(401);
  });
});

describe('isolation between organizations', () => {
  it('does not let a user of org A read or change anything of org B', async () => {
    const a = await signUp(server.origin, 'Alice');
    const b = await signUp(server.origin, 'Bob');
    const orgA = await createOrganization(a.client, 'Org A');
    const orgB = await createOrganization(b.client, 'Org B');
    const invite = await b.client.post(`/api/orgs/${orgB.id}/invites`, { role: 'member' });
    const token = await b.client.post(`/api/orgs/${orgB.id}/tokens`, { name: 'BI export' });

    for (const path of ['', '/members', '/invites', '/tokens']) {
      const response = await a.client.get(`/api/orgs/${orgB.id}${path}`);
      expect(response.status, `GET ${path}`).toBe(403);
      expect(response.body.error).toBe('You are not a member of this organization');
    }
    expect((await a.client.post(`/api/orgs/${orgB.id}/invites`, { role: 'admin' })).status).toBe(403);
    expect((await a.client.post(`/api/orgs/${orgB.id}/tokens`, { name: 'steal' })).status).toBe(403);
    expect((await a.client.delete(`/api/orgs/${orgB.id}/members/${b.user.id}`)).status).toBe(403);

    // Ids of org B used through org A, where Alice is admin, are simply not found.
    expect((await a.client.delete(`/api/orgs/${orgA.id}/invites/${invite.body.invite.id}`)).status).toBe(404);
    expect((await a.client.delete(`/api/orgs/${orgA.id}/tokens/${token.body.token.id}`)).status).toBe(404);
    expect((await a.client.delete(`/api/orgs/${orgA.id}/members/${b.user.id}`)).status).toBe(404);

    const stillThere = await b.client.get(`/api/orgs/${orgB.id}/tokens`);
    expect(stillThere.body.tokens[0].revokedAt).toBeNull();
    const invites = await b.client.get(`/api/orgs/${orgB.id}/invites`);
    expect(invites.body.invites[0].status).toBe('pending');
  });

  it('answers a malformed organization id with 400', async () => {
    const { client } = await signUp(server.origin);
    const response = await client.get('/api/orgs/not-a-uuid/members');
    expect(response.status).toBe(400);
    expect(response.body.issues[0]).toEqual({ path: 'param.orgId', message: 'must be an organization id (UUID)' });
  });
});

describe('members', () => {
  async function orgWithMember() {
    const admin = await signUp(server.origin, 'Admin');
    const member = await signUp(server.origin, 'Member');
    const org = await createOrganization(admin.client, 'Members Org');
    const invite = await admin.client.post(`/api/orgs/${org.id}/invites`, {});
    const token = new URL(invite.body.url).pathname.split('/').pop();
    expect((await member.client.post(`/api/invites/${token}/accept`)).status).toBe(200);
    return { admin, member, org };
  }

  it('lets an admin remove a member, who then loses access', async () => {
    const { admin, member, org } = await orgWithMember();
    expect((await member.client.get(`/api/orgs/${org.id}`)).status).toBe(200);
    expect((await admin.client.delete(`/api/orgs/${org.id}/members/${member.user.id}`)).status).toBe(204);
    expect((await member.client.get(`/api/orgs/${org.id}`)).status).toBe(403);
    expect((await member.client.get('/api/me')).body.organizations).toEqual([]);
  });

  it('does not let a member remove someone else', async () => {
    const { admin, member, org } = await orgWithMember();
    const response = await member.client.delete(`/api/orgs/${org.id}/members/${admin.user.id}`);
    expect(response.status).toBe(403);
    expect((await admin.client.get(`/api/orgs/${org.id}/members`)).body.members).toHaveLength(2);
  });

  it('lets a member leave', async () => {
    const { member, org } = await orgWithMember();
    expect((await member.client.delete(`/api/orgs/${org.id}/members/${member.user.id}`)).status).toBe(204);
    expect((await member.client.get(`/api/orgs/${org.id}`)).status).toBe(403);
  });

  it('keeps the last admin', async () => {
    const { admin, org } = await orgWithMember();
    const response = await admin.client.delete(`/api/orgs/${org.id}/members/${admin.user.id}`);
    expect(response.status).toBe(409);
    expect(response.body.error).toMatch(/at least one admin/);
  });

  it('does not let a member manage invites or tokens', async () => {
    const { member, org } = await orgWithMember();
    expect((await member.client.post(`/api/orgs/${org.id}/invites`, {})).status).toBe(403);
    expect((await member.client.get(`/api/orgs/${org.id}/invites`)).status).toBe(403);
    expect((await member.client.post(`/api/orgs/${org.id}/tokens`, { name: 'x' })).status).toBe(403);
    expect((await member.client.get(`/api/orgs/${org.id}/tokens`)).status).toBe(403);
  });
});
