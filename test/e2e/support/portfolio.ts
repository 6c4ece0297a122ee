// The demo's story seeded into a spec's own organization through the public API: the objective "Cut last-mile
// delivery time 20%", its four metrics (one reading each, at the demo's slip: fuel savings 18% behind plan, off
// track; scanners 11%, at risk), key results, the three initiatives and the dependency chain scanners → dispatch
// API → fuel savings. Owners are the demo's people when the organization has them, its admin otherwise.
import { plannedValue } from '../../../server/domain/slip.ts';
import { expect, type Organization } from './org.ts';

const DAY = 86_400_000;

export const FUEL = 'Fleet fuel cost savings';
export const SCANNERS = 'Depots with handheld scanners';
export const DELIVERY = 'Median last-mile delivery time';
export const LATENCY = 'Dispatch API p95 latency (ms)';

export const DISPATCH_API = 'Dispatch API speed-up';
export const SCANNER_ROLLOUT = 'Handheld scanner rollout';
export const FUEL_SAVINGS = 'Fleet fuel cost savings';

export interface Metric {
  id: string;
  name: string;
  target: number;
}

export interface FreightPortfolio {
  objectiveId: string;
  /** By name, in the demo's order: delivery, latency, scanners, fuel. */
  metrics: Record<string, Metric>;
  /** By title. */
  initiatives: Record<string, { id: string; title: string }>;
  metricIds: string[];
  initiativeIds: string[];
}

/** POSTs `data` as `person`, expects a success and returns the body. */
async function post(org: Organization, path: string, data: object, as = org.people[0]!) {
  const response = await as.api.post(path, { data });
  expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
  return response.json();
}

export async function seedFreightPortfolio(org: Organization): Promise<FreightPortfolio> {
  const admin = org.people[0]!;
  const owner = (name: string) => (org.people.find((p) => p.name === name) ?? admin).id;
  const now = Date.now();
  const readingAt = new Date(now - 60_000);
  const plan = {
    startAt: new Date(now - 150 * DAY).toISOString(),
    targetAt: new Date(now + 215 * DAY).toISOString(),
    frequency: 'weekly',
    slipThreshold: 0.15,
  };
  const base = `/api/orgs/${org.id}`;

  const { objective } = await post(org, `${base}/objectives`, {
    title: 'Cut last-mile delivery time 20%',
    ownerId: admin.id,
  });

  const specs = [
    {
      name: DELIVERY,
      unit: 'duration',
      unitLabel: 'h',
      direction: 'lower',
      baseline: 48,
      target: 38.4,
      owner: 'Maya Okafor',
      slip: 0.05,
    },
    {
      name: LATENCY,
      unit: 'duration',
      unitLabel: 'ms',
      direction: 'lower',
      baseline: 1200,
      target: 300,
      owner: 'Jonas Lindqvist',
      slip: -0.04,
    },
    {
      name: SCANNERS,
      unit: 'percent',
      direction: 'higher',
      baseline: 0,
      target: 100,
      owner: 'Priya Raman',
      slip: 0.11,
    },
    {
      name: FUEL,
      unit: 'currency',
      currency: 'EUR',
      direction: 'higher',
      baseline: 0,
      target: 1_200_000,
      owner: 'Sofia Brandt',
      slip: 0.18,
    },
  ] as const;
  const metrics: Record<string, Metric> = {};
  for (const { owner: ownerName, slip, ...fields } of specs) {
    const { metric } = await post(org, `${base}/metrics`, { ...plan, ...fields, ownerId: owner(ownerName) });
    const planned = plannedValue(
      { ...fields, startAt: new Date(plan.startAt), targetAt: new Date(plan.targetAt), slipThreshold: 0.15 },
      readingAt,
    );
    const behind = (fields.direction === 'lower' ? 1 : -1) * slip * Math.abs(fields.target - fields.baseline);
    await post(org, `/api/metrics/${metric.id}/readings`, {
      value: Math.round((planned + behind) * 100) / 100,
      at: readingAt.toISOString(),
      source: 'e2e-seed',
    });
    metrics[fields.name] = { id: metric.id, name: fields.name, target: fields.target };
  }

  const keyResult = async (title: string, metric: string) =>
    (await post(org, `${base}/key-results`, { objectiveId: objective.id, title, metricId: metrics[metric]!.id }))
      .keyResult.id as string;
  await keyResult('Median delivery time down from 48 h to 38.4 h', DELIVERY);
  const apiKr = await keyResult('Dispatch API p95 latency under 300 ms', LATENCY);
  const scannerKr = await keyResult('Handheld scanners live in every depot', SCANNERS);
  const fuelKr = await keyResult('Fleet fuel costs down €1.2 M a year', FUEL);

  const initiatives: FreightPortfolio['initiatives'] = {};
  const initiative = async (title: string, metric: string, fields: Record<string, unknown>) => {
    const { initiative: created } = await post(org, `${base}/initiatives`, { title, ...fields });
    const linked = await admin.api.patch(`/api/metrics/${metrics[metric]!.id}`, {
      data: { initiativeIds: [created.id] },
    });
    expect(linked.ok(), await linked.text()).toBe(true);
    initiatives[title] = { id: created.id, title };
    return created.id as string;
  };
  const dispatchApi = await initiative(DISPATCH_API, LATENCY, {
    ownerId: owner('Jonas Lindqvist'),
    team: 'IT',
    keyResultId: apiKr,
  });
  const scanners = await initiative(SCANNER_ROLLOUT, SCANNERS, {
    ownerId: owner('Priya Raman'),
    team: 'Regional operations',
    keyResultId: scannerKr,
  });
  const fuelPlan = { direction: 'higher', baseline: 0, target: 1_200_000, slipThreshold: 0.15 } as const;
  const fuelPlanned = plannedValue(
    { ...fuelPlan, startAt: new Date(plan.startAt), targetAt: new Date(plan.targetAt) },
    new Date(now),
  );
  const fuel = await initiative(FUEL_SAVINGS, FUEL, {
    ownerId: owner('Sofia Brandt'),
    team: 'Finance',
    keyResultId: fuelKr,
    plannedValue: 1_200_000,
    realizedValue: Math.max(0, Math.round(fuelPlanned - 0.18 * 1_200_000)),
    currency: 'EUR',
    startAt: plan.startAt,
    targetAt: plan.targetAt,
  });

  const inWeeks = (weeks: number) => new Date(now + weeks * 7 * DAY).toISOString().slice(0, 10);
  await post(org, `${base}/dependencies`, {
    dependentId: dispatchApi,
    dependencyId: scanners,
    note: 'Dispatch only sees a parcel once the depot scans it at the door.',
    neededBy: inWeeks(8),
  });
  await post(org, `${base}/dependencies`, {
    dependentId: fuel,
    dependencyId: dispatchApi,
    note: 'Route optimisation needs live stop data from the dispatch API.',
    neededBy: inWeeks(16),
  });

  // What the organization holds now, as its people will see it.
  const portfolio = (await (await admin.api.get(`${base}/metrics`)).json()) as {
    metrics: { name: string; assessment: { status: string } }[];
  };
  expect(Object.fromEntries(portfolio.metrics.map((m) => [m.name, m.assessment.status]))).toMatchObject({
    [FUEL]: 'off track',
    [SCANNERS]: 'at risk',
  });
  return {
    objectiveId: objective.id,
    metrics,
    initiatives,
    metricIds: Object.values(metrics).map((m) => m.id),
    initiativeIds: Object.values(initiatives).map((i) => i.id),
  };
}
