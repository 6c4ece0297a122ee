// The portfolio's ownership rule through the API (server/domain/ownership.ts): anyone adds, only the accountable
// owner or an admin changes or removes; a key result belongs to its objective's owner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, signUp } from '../support/client.ts';
import { addMember, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let admin: Person;
let owner: Person;
let other: Person;
let orgId: string;

beforeAll(async () => {
  server = await startTestServer();
  admin = await signUp(server.origin, 'Ada Admin');
  orgId = (await createOrganization(admin.client, 'Ownership Org')).id;
  owner = await addMember(server.origin, admin.client, orgId, 'Olu Owner');
  other = await addMember(server.origin, admin.client, orgId, 'Mo Member');
});
afterAll(() => server?.stop());

describe('ownership', () => {
  it('lets only the accountable owner or an admin change or remove an initiative', async () => {
    // Issue 19: any member could retitle or delete any initiative.
    const created = await other.client.post(`/api/orgs/${orgId}/initiatives`, {
      title: 'Scanner rollout',
      ownerId: owner.user.id,
      team: 'Regions',
    });
    expect(created.status).toBe(201);
    const path = `/api/orgs/${orgId}/initiatives/${created.body.initiative.id}`;

    const retitled = await other.client.request('PATCH', path, { title: 'Mine now' });
    expect(retitled.status).toBe(403);
    expect(retitled.body.error).toBe('Only the accountable owner of this initiative or an admin can change it');
    expect((await other.client.request('DELETE', path)).status).toBe(403);
    expect((await admin.client.get(path)).body.initiative.title).toBe('Scanner rollout');

    expect((await owner.client.request('PATCH', path, { title: 'Scanner rollout, phase 2' })).status).toBe(200);
    expect((await admin.client.request('PATCH', path, { team: 'Operations' })).status).toBe(200);
    expect((await owner.client.request('DELETE', path)).status).toBe(204);
    expect((await admin.client.get(path)).status).toBe(404);
  });

  it('lets only the objective’s owner or an admin change it and its key results', async () => {
    const objective = await other.client.post(`/api/orgs/${orgId}/objectives`, {
      title: 'Cut last-mile time 20%',
      ownerId: owner.user.id,
    });
    expect(objective.status).toBe(201);
    const objectiveId = objective.body.objective.id as string;
    const path = `/api/orgs/${orgId}/objectives/${objectiveId}`;
    const body = { title: 'Taken over', ownerId: other.user.id };
    expect((await other.client.request('PUT', path, body)).status).toBe(403);
    expect((await other.client.request('DELETE', path)).status).toBe(403);

    const keyResult = { objectiveId, title: 'Dispatch in 5 minutes' };
    const refused = await other.client.post(`/api/orgs/${orgId}/key-results`, keyResult);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('Only the owner of its objective or an admin can add a key result here');
    const added = await owner.client.post(`/api/orgs/${orgId}/key-results`, keyResult);
    expect(added.status).toBe(201);
    const keyResultPath = `/api/orgs/${orgId}/key-results/${added.body.keyResult.id}`;
    expect((await other.client.request('PUT', keyResultPath, { ...keyResult, title: 'x' })).status).toBe(403);
    expect((await other.client.request('DELETE', keyResultPath)).status).toBe(403);
    expect((await owner.client.request('PUT', keyResultPath, { ...keyResult, title: 'Dispatch in 4' })).status).toBe(
      204,
    );

    // Moving a key result under someone else's objective needs that owner (or an admin) too.
    const theirs = await other.client.post(`/api/orgs/${orgId}/objectives`, {
      title: 'Theirs',
      ownerId: other.user.id,
    });
    const moved = await owner.client.request('PUT', keyResultPath, {
      ...keyResult,
      objectiveId: theirs.body.objective.id,
    });
    expect(moved.status).toBe(403);
    expect((await admin.client.request('DELETE', keyResultPath)).status).toBe(204);
    expect((await owner.client.request('PUT', path, { title: 'Cut 25%', ownerId: owner.user.id })).status).toBe(204);
    expect((await admin.client.request('DELETE', path)).status).toBe(204);

    const listed = (await admin.client.get(`/api/orgs/${orgId}/objectives`)).body.objectives;
    expect(listed.map((o: { title: string }) => o.title)).toEqual(['Theirs']);
  });
});
