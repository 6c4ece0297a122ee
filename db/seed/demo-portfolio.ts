// The demo portfolio: one objective, its key results and metrics with months of weekly readings, and the
// three initiatives of the story; finance's fuel cost savings are 18% behind plan today.
import type { Db } from '../../server/db/connect.ts';
import type { ScopeEntry } from '../../server/domain/board.ts';
import { assessInitiative, moneyOf } from '../../server/domain/initiative-status.ts';
import {
  assessMetric,
  DEFAULT_SLIP_THRESHOLD,
  plannedValue,
  worstStatus,
  type MetricPlan,
  type Status,
} from '../../server/domain/slip.ts';
import { insertDependency } from '../../server/store/dependencies.ts';
import { insertInitiative } from '../../server/store/initiatives.ts';
import { insertMetric, linkMetricToInitiative, type MetricInput } from '../../server/store/metrics.ts';
import { insertKeyResult, insertObjective } from '../../server/store/objectives.ts';
import { ingestReadings } from '../../server/store/reading-writes.ts';
import type { ReadingInput } from '../../server/store/readings.ts';

const DAY = 86_400_000;
export const FUEL_SAVINGS_SLIP = 0.18;

export interface DemoPeople {
  vp: string;
  it: string;
  north: string;
  south: string;
  finance: string;
}

interface MetricSpec {
  input: Omit<MetricInput, 'startAt' | 'targetAt' | 'frequency' | 'slipThreshold' | 'description'> & {
    description?: string;
  };
  /** Slip to end at now; readings drift towards it from an on-plan start. */
  slipNow: number;
  noise: number;
}

/** A small deterministic generator, so every seed tells the same story. */
function noiseSource(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31 - 0.5;
  };
}

function weeklyReadings(plan: MetricPlan, slipNow: number, noise: number, now: Date, seed: number): ReadingInput[] {
  const random = noiseSource(seed);
  const change = Math.abs(plan.target - plan.baseline);
  const sign = plan.direction === 'lower' ? 1 : -1;
  const readings: ReadingInput[] = [];
  const weeks = Math.floor((now.getTime() - plan.startAt.getTime()) / (7 * DAY));
  for (let week = 0; week <= weeks; week++) {
    const at = week === weeks ? now : new Date(plan.startAt.getTime() + week * 7 * DAY);
    const progress = weeks === 0 ? 1 : week / weeks;
    // Slip grows along the way; the last reading carries exactly `slipNow`.
    const slip = slipNow * progress ** 1.5 + (week === weeks ? 0 : random() * noise);
    const value = plannedValue(plan, at) + sign * slip * change;
    readings.push({ at, value: Math.round(value * 100) / 100, source: 'demo-bi', note: null });
  }
  const last = readings[readings.length - 1]!;
  last.value = plannedValue(plan, now) + sign * slipNow * change;
  return readings;
}

/** What the demo portfolio holds, with each metric's and initiative's status today (for the demo review). */
export interface DemoScope {
  metrics: ScopeEntry[];
  initiatives: ScopeEntry[];
}

export async function seedDemoPortfolio(
  tx: Db,
  organizationId: string,
  people: DemoPeople,
  now: Date,
): Promise<DemoScope> {
  const scope: DemoScope = { metrics: [], initiatives: [] };
  const metricStatus = new Map<string, Status>();
  const startAt = new Date(now.getTime() - 150 * DAY);
  const targetAt = new Date(now.getTime() + 215 * DAY);
  const common = { startAt, targetAt, frequency: 'weekly' as const, slipThreshold: 0.15, description: '' };

  const objectiveId = await insertObjective(tx, organizationId, {
    title: 'Cut last-mile delivery time 20%',
    description: 'From 48 to 38.4 hours between depot scan and doorstep, across all regions, by the end of the plan.',
    ownerId: people.vp,
  });

  const specs: Record<'delivery' | 'latency' | 'scanners' | 'fuel', MetricSpec> = {
    delivery: {
      input: {
        name: 'Median last-mile delivery time',
        unit: 'duration',
        unitLabel: 'h',
        currency: null,
        direction: 'lower',
        baseline: 48,
        target: 38.4,
        rangeMin: null,
        rangeMax: null,
        ownerId: people.vp,
      },
      slipNow: 0.05,
      noise: 0.04,
    },
    latency: {
      input: {
        name: 'Dispatch API p95 latency (ms)',
        unit: 'duration',
        unitLabel: 'ms',
        currency: null,
        direction: 'lower',
        baseline: 1200,
        target: 300,
        rangeMin: null,
        rangeMax: null,
        ownerId: people.it,
      },
      slipNow: -0.04,
      noise: 0.03,
    },
    scanners: {
      input: {
        name: 'Depots with handheld scanners',
        unit: 'percent',
        currency: null,
        direction: 'higher',
        baseline: 0,
        target: 100,
        rangeMin: null,
        rangeMax: null,
        ownerId: people.north,
      },
      slipNow: 0.11,
      noise: 0.02,
    },
    fuel: {
      input: {
        name: 'Fleet fuel cost savings',
        unit: 'currency',
        currency: 'EUR',
        direction: 'higher',
        baseline: 0,
        target: 1_200_000,
        rangeMin: null,
        rangeMax: null,
        ownerId: people.finance,
      },
      slipNow: FUEL_SAVINGS_SLIP,
      noise: 0.02,
    },
  };

  const metricIds: Record<keyof typeof specs, string> = { delivery: '', latency: '', scanners: '', fuel: '' };
  let seed = 7;
  for (const [key, spec] of Object.entries(specs) as [keyof typeof specs, MetricSpec][]) {
    const input: MetricInput = { ...common, ...spec.input };
    metricIds[key] = await insertMetric(tx, organizationId, input, []);
    const readings = weeklyReadings(input, spec.slipNow, spec.noise, now, (seed += 11));
    await ingestReadings(tx, metricIds[key], readings, now);
    const status = assessMetric(input, readings).status;
    metricStatus.set(metricIds[key], status);
    scope.metrics.push({ id: metricIds[key], title: input.name, status, ownerId: input.ownerId });
  }

  const keyResult = (title: string, metricId: string) =>
    insertKeyResult(tx, organizationId, { objectiveId, title, metricId });
  await keyResult('Median delivery time down from 48 h to 38.4 h', metricIds.delivery);
  const apiKr = await keyResult('Dispatch API p95 latency under 300 ms', metricIds.latency);
  const scannerKr = await keyResult('Handheld scanners live in every depot', metricIds.scanners);
  const fuelKr = await keyResult('Fleet fuel costs down €1.2 M a year', metricIds.fuel);

  const initiative = async (
    title: string,
    ownerId: string,
    team: string,
    keyResultId: string,
    metricId: string,
    extra: Partial<Parameters<typeof insertInitiative>[2]> = {},
  ) => {
    const id = await insertInitiative(tx, organizationId, {
      title,
      description: '',
      ownerId,
      team,
      keyResultId,
      plannedValue: null,
      realizedValue: null,
      currency: null,
      startAt: null,
      targetAt: null,
      links: [],
      ...extra,
    });
    await linkMetricToInitiative(tx, metricId, id);
    const assessed = assessInitiative({
      metricStatuses: [metricStatus.get(metricId) ?? 'no data'],
      money: moneyOf(extra),
      now,
      threshold: DEFAULT_SLIP_THRESHOLD,
    });
    scope.initiatives.push({ id, title, status: worstStatus([assessed.delivery, assessed.value]), ownerId });
    return id;
  };

  const dispatchApi = await initiative('Dispatch API speed-up', people.it, 'IT', apiKr, metricIds.latency, {
    description: 'Cut dispatch API p95 latency so drivers get their next stop before they reach the van.',
    links: [{ label: 'Jira epic DISP-142', url: 'https://jira.example.com/browse/DISP-142' }],
  });
  const scanners = await initiative(
    'Handheld scanner rollout',
    people.north,
    'Regional operations',
    scannerKr,
    metricIds.scanners,
    {
      description: 'Handheld scanners in every depot, so parcels are scanned at the door and dispatch sees it live.',
    },
  );
  const fuelPlan = { plannedValue: 1_200_000, startAt, targetAt };
  const realizedValue = Math.round(
    plannedValue({ direction: 'higher', baseline: 0, target: 1_200_000, startAt, targetAt, slipThreshold: 0.15 }, now) -
      FUEL_SAVINGS_SLIP * 1_200_000,
  );
  const fuel = await initiative('Fleet fuel cost savings', people.finance, 'Finance', fuelKr, metricIds.fuel, {
    description: 'Route optimisation and eco-driving coaching across the fleet.',
    ...fuelPlan,
    realizedValue: Math.max(0, realizedValue),
    currency: 'EUR',
  });

  // The story's cross-team chain: route optimisation needs live dispatch data, and dispatch only sees a parcel
  // once the depot scans it at the door.
  const inWeeks = (weeks: number) => new Date(now.getTime() + weeks * 7 * DAY).toISOString().slice(0, 10);
  await insertDependency(
    tx,
    organizationId,
    {
      dependentId: dispatchApi,
      dependencyId: scanners,
      note: 'Dispatch only sees a parcel once the depot scans it at the door.',
      neededBy: inWeeks(8),
      requesterId: people.it,
      providerId: people.north,
    },
    people.vp,
  );
  await insertDependency(
    tx,
    organizationId,
    {
      dependentId: fuel,
      dependencyId: dispatchApi,
      note: 'Route optimisation needs live stop data from the dispatch API.',
      neededBy: inWeeks(16),
      requesterId: people.finance,
      providerId: people.it,
    },
    people.vp,
  );
  return scope;
}
