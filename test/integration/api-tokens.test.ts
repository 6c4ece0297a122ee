import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createOrganization, signUp } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

describe('API tokens', () => {
  it('shows the secret once, stores its hash, authenticates as the organization and can be revoked', async () => {
    const admin = await signUp(server.origin, 'Token Admin');
    const org = await createOrganization(admin.client, 'Data Org');
    const created = await admin.client.post(`/api/orgs/${org.id}/tokens`, { name: 'Jira sync' });
    expect(created.status).toBe(201);
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^lm_[a-z2-7]{32}$/);
    expect(created.body.token).toMatchObject({ name: 'Jira sync', lastUsedAt: null, revokedAt: null });

    const list = await admin.client.get(`/api/orgs/${org.id}/tokens`);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(list.body.tokens[0].createdBy).toEqual({ id: admin.user.id, name: 'Token Admin' });
    const stored = await server.db.sql`select token_hash from api_tokens where id = ${created.body.token.id}`;
    expect(stored[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);

    // A data source: a Bearer token, no cookie, no Origin.
    const source = new ApiClient(server.origin, { sendOrigin: false, bearer: secret });
    const whoami = await source.get('/api/tokens/current');
    expect(whoami.status).toBe(200);
    expect(whoami.body).toEqual({
      organization: { id: org.id, name: 'Data Org' },
      token: { id: created.body.token.id, name: 'Jira sync' },
    });
    const used = await admin.client.get(`/api/orgs/${org.id}/tokens`);
    expect(used.body.tokens[0].lastUsedAt).not.toBeNull();

    expect((await admin.client.delete(`/api/orgs/${org.id}/tokens/${created.body.token.id}`)).status).toBe(204);
    const revoked = await source.get('/api/tokens/current');
    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toBe('The API token is unknown or revoked');
    expect((await admin.client.get(`/api/orgs/${org.id}/tokens`)).body.tokens[0].revokedAt).not.toBeNull();
  });

  it('rejects a missing or made-up token', async () => {
    expect((await new ApiClient(server.origin, { sendOrigin: false }).get('/api/tokens/current')).status).toBe(401);
    const fake = new ApiClient(server.origin, { sendOrigin: false, bearer: `lm_${'a'.repeat(32)}` });
    expect((await fake.get('/api/tokens/current')).status).toBe(401);
  });

  it('does not accept an API token in place of a session', async () => {
    const admin = await signUp(server.origin);
    const org = await createOrganization(admin.client);
    const { body } = await admin.client.post(`/api/orgs/${org.id}/tokens`, { name: 'BI' });
    const source = new ApiClient(server.origin, { sendOrigin: false, bearer: body.secret });
    expect((await source.get(`/api/orgs/${org.id}/members`)).status).toBe(401);
  });

  it('requires a name', async () => {
    const admin = await signUp(server.origin);
    const org = await createOrganization(admin.client);
    const response = await admin.client.post(`/api/orgs/${org.id}/tokens`, { name: '   ' });
    expect(response.status).toBe(400);
    expect(response.body.issues).toEqual([{ path: 'name', message: 'is required' }]);
  });
});
