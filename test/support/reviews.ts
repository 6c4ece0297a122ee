// Factories for teams and reviews created through the API, as people would.
import { createOrganization, signUp, type ApiClient } from './client.ts';
import { createMetric } from './portfolio.ts';

export interface Person {
  client: ApiClient;
  user: { id: string; email: string; name: string };
}

/** Signs up `name` and makes them a member of the organization through an invite link. */
export async function addMember(origin: string, admin: ApiClient, orgId: string, name: string): Promise<Person> {
  const invite = await admin.post(`/api/orgs/${orgId}/invites`, {});
  if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${JSON.stringify(invite.body)}`);
  const token = new URL(invite.body.url).pathname.split('/').pop()!;
  const person = await signUp(origin, name);
  const accepted = await person.client.post(`/api/invites/${token}/accept`);
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return person;
}

export async function createReview(client: ApiClient, orgId: string, body: Record<string, unknown> = {}) {
  const response = await client.post(`/api/orgs/${orgId}/reviews`, { title: 'Weekly ops review', ...body });
  if (response.status !== 201)
    throw new Error(`create review failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.review as {
    id: string;
    status: string;
    phase: string;
    participants: { userId: string; role: string }[];
    me: { role: string; readOnly: boolean; canFacilitate: boolean };
  };
}

/** A facilitator with an organization, one metric, and a review of it. */
export async function reviewFixture(origin: string) {
  const facilitator = await signUp(origin, 'Fran Facilitator');
  const org = await createOrganization(facilitator.client, 'Review Org');
  const metric = await createMetric(facilitator.client, org.id, facilitator.user.id);
  const review = await createReview(facilitator.client, org.id, {
    metricIds: [metric.id],
    series: 'Weekly ops review',
  });
  return { facilitator, org, metric, review };
}
