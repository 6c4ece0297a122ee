// Metrics: their plan (baseline → target over time), owner, linked initiatives, and last known status.
import { transaction, type Db } from '../db/connect.ts';
import { assessMetric, TREND_WINDOW, type Direction, type MetricAssessment, type Status } from '../domain/slip.ts';
import { recentReadings } from './readings.ts';

export const UNITS = ['number', 'currency', 'percent', 'duration'] as const;
export type Unit = (typeof UNITS)[number];
export const FREQUENCIES = ['daily', 'weekly', 'monthly', 'quarterly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export interface MetricInput {
  name: string;
  description: string;
  unit: Unit;
  currency: string | null;
  /** What one unit is called, shown after values (h, ms, depots); null for money, percent or a plain count. */
  unitLabel?: string | null;
  direction: Direction;
  baseline: number;
  target: number;
  rangeMin: number | null;
  rangeMax: number | null;
  /** The metric's own bounds for plausible readings (null or absent: none; domain/reading-plausibility.ts). */
  plausibleMin?: number | null;
  plausibleMax?: number | null;
  startAt: Date;
  targetAt: Date;
  frequency: Frequency;
  slipThreshold: number;
  ownerId: string;
}

export interface MetricRow extends MetricInput {
  id: string;
  plausibleMin: number | null;
  plausibleMax: number | null;
  unitLabel: string | null;
  organizationId: string;
  owner: { id: string; name: string };
  initiativeIds: string[];
  lastStatus: Status;
  createdAt: Date;
  updatedAt: Date;
}

const metricColumns = (sql: Db) => sql`
  m.id,
  m.organization_id,
  m.name,
  m.description,
  m.unit,
  m.currency,
  m.unit_label,
  m.direction,
  m.baseline,
  m.target,
  m.range_min,
  m.range_max,
  m.plausible_min,
  m.plausible_max,
  m.start_at,
  m.target_at,
  m.frequency,
  m.slip_threshold,
  m.owner_id,
  m.last_status,
  m.created_at,
  m.updated_at,
  json_build_object('id', u.id, 'name', u.name) as owner,
  coalesce(
    (select array_agg(mi.initiative_id order by mi.initiative_id) from metric_initiatives mi where mi.metric_id = m.id),
    '{}'
  ) as initiative_ids
`;

export async function insertMetric(
  sql: Db,
  organizationId: string,
  input: MetricInput,
  initiativeIds: string[],
): Promise<string> {
  return transaction(sql, async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      insert into metrics (
        organization_id, name, description, unit, currency, unit_label, direction, baseline, target,
        range_min, range_max, plausible_min, plausible_max, start_at, target_at, frequency, slip_threshold,
        owner_id
      )
      values (
        ${organizationId}, ${input.name}, ${input.description}, ${input.unit}, ${input.currency},
        ${input.unitLabel ?? null}, ${input.direction}, ${input.baseline}, ${input.target}, ${input.rangeMin}, ${input.rangeMax},
        ${input.plausibleMin ?? null}, ${input.plausibleMax ?? null}, ${input.startAt}, ${input.targetAt},
        ${input.frequency}, ${input.slipThreshold}, ${input.ownerId}
      )
      returning id
    `;
    await linkInitiatives(tx, row!.id, initiativeIds);
    return row!.id;
  });
}

async function linkInitiatives(sql: Db, metricId: string, initiativeIds: string[]): Promise<void> {
  await sql`
    delete from metric_initiatives
    where metric_id = ${metricId}
  `;
  if (initiativeIds.length === 0) return;
  await sql`
    insert into metric_initiatives (metric_id, initiative_id)
    select ${metricId}, unnest(${initiativeIds}::uuid[])
  `;
}

export async function listMetrics(sql: Db, organizationId: string): Promise<MetricRow[]> {
  return sql<MetricRow[]>`
    select ${metricColumns(sql)}
    from metrics m
    join users u on u.id = m.owner_id
    where m.organization_id = ${organizationId}
    order by m.name, m.id
  `;
}

export async function findMetric(sql: Db, metricId: string): Promise<MetricRow | undefined> {
  const [row] = await sql<MetricRow[]>`
    select ${metricColumns(sql)}
    from metrics m
    join users u on u.id = m.owner_id
    where m.id = ${metricId}
  `;
  return row;
}

/** The organization a metric belongs to, for authorization before anything else is read. */
export async function findMetricOrganization(sql: Db, metricId: string): Promise<string | undefined> {
  const [row] = await sql<{ organizationId: string }[]>`
    select
      organization_id
    from metrics
    where id = ${metricId}
  `;
  return row?.organizationId;
}

/**
 * Changes a metric and re-assesses it against its new plan under the row lock that readings take, so
 * a change of plan or threshold that crosses the threshold is reported once, like a reading would be.
 * Undefined when the metric is gone.
 */
export async function updateMetric(
  sql: Db,
  metricId: string,
  input: MetricInput,
  initiativeIds: string[] | undefined,
  now: Date,
): Promise<{ before: Status; after: MetricAssessment } | undefined> {
  return transaction(sql, async (tx) => {
    const [locked] = await tx<{ lastStatus: Status }[]>`
      select
        last_status
      from metrics
      where id = ${metricId}
      for update
    `;
    if (!locked) return undefined;
    const after = assessMetric(input, await recentReadings(tx, metricId, TREND_WINDOW));
    await tx`
      update metrics
      set
        name = ${input.name},
        description = ${input.description},
        unit = ${input.unit},
        currency = ${input.currency},
        unit_label = ${input.unitLabel ?? null},
        direction = ${input.direction},
        baseline = ${input.baseline},
        target = ${input.target},
        range_min = ${input.rangeMin},
        range_max = ${input.rangeMax},
        plausible_min = ${input.plausibleMin ?? null},
        plausible_max = ${input.plausibleMax ?? null},
        start_at = ${input.startAt},
        target_at = ${input.targetAt},
        frequency = ${input.frequency},
        slip_threshold = ${input.slipThreshold},
        owner_id = ${input.ownerId},
        last_status = ${after.status},
        updated_at = ${now}
      where id = ${metricId}
    `;
    if (initiativeIds) await linkInitiatives(tx, metricId, initiativeIds);
    return { before: locked.lastStatus, after };
  });
}

export async function deleteMetric(sql: Db, organizationId: string, metricId: string): Promise<boolean> {
  const rows = await sql`
    delete from metrics
    where id = ${metricId}
      and organization_id = ${organizationId}
    returning id
  `;
  return rows.length > 0;
}

/** Ids among `initiativeIds` that belong to the organization. */
export async function initiativesInOrganization(
  sql: Db,
  organizationId: string,
  initiativeIds: string[],
): Promise<string[]> {
  if (initiativeIds.length === 0) return [];
  const rows = await sql<{ id: string }[]>`
    select
      id
    from initiatives
    where organization_id = ${organizationId}
      and id = any(${initiativeIds}::uuid[])
  `;
  return rows.map((row) => row.id);
}

export async function linkMetricToInitiative(sql: Db, metricId: string, initiativeId: string): Promise<void> {
  await sql`
    insert into metric_initiatives (metric_id, initiative_id)
    values (${metricId}, ${initiativeId})
    on conflict do nothing
  `;
}
