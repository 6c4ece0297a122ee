// Factories for portfolio data created through the API, as a user would.
import type { ApiClient } from './client.ts';

export const YEAR_START = '2026-01-01T00:00:00Z';
export const YEAR_END = '2026-12-31T00:00:00Z';

/** A higher-is-better metric from 0 to 100 over 2026, 15% slip threshold. */
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

/** The instant at which the 2026 plan expects `value` (0–100). */
export function planInstant(value: number): string {
  const start = Date.parse(YEAR_START);
  return new Date(start + ((Date.parse(YEAR_END) - start) * value) / 100).toISOString();
}
