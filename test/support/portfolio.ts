// Factories for portfolio data created through the API, as a user would.
import type { ApiClient } from './client.ts';

// The plan the factories use: the ten days up to the moment this module loads (whole seconds). Readings placed
// along it (planInstant) are all recent, so a weekly metric is never stale in a test that does not move the clock
// more than a few hours (a weekly metric goes stale 10.5 days after its latest reading, issue 19).
const PLAN_END_MS = Math.floor(Date.now() / 1000) * 1000;
const PLAN_SPAN_MS = 10 * 86_400_000;
export const YEAR_START = new Date(PLAN_END_MS - PLAN_SPAN_MS).toISOString();
export const YEAR_END = new Date(PLAN_END_MS).toISOString();

/** A higher-is-better metric from 0 to 100 over the factories' plan (YEAR_START to YEAR_END), 15% slip threshold. */
export async function createMetric(
  client: ApiClient,
  orgId: string,
  ownerId: string,
  overrides: Record<string, unknown> = {},
) {
  const response = await client.post(`/api/orgs/${orgId}/metrics`, {
    name: 'Fuel cost savings',
    unit: 'percent',
    direction: 'higher',
    baseline: 0,
    target: 100,
    startAt: YEAR_START,
    targetAt: YEAR_END,
    ownerId,
    ...overrides,
  });
  if (response.status !== 201)
    throw new Error(`create metric failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.metric as { id: string; name: string; assessment: { status: string; slip: number | null } };
}

/** The instant at which the factories' plan expects `value` (0–100). */
export function planInstant(value: number): string {
  const start = Date.parse(YEAR_START);
  return new Date(start + ((Date.parse(YEAR_END) - start) * value) / 100).toISOString();
}
