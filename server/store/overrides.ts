// An owner's status override with its reason; every override stays in history, the newest uncleared one applies.
import { transaction, type Db } from '../db/connect.ts';
import type { Status } from '../domain/slip.ts';

export interface OverrideRow {
  id: string;
  metricId: string;
  status: Exclude<Status, 'no data'>;
  reason: string;
  setBy: { id: string; name: string } | null;
  setAt: Date;
  clearedAt: Date | null;
  clearedBy: { id: string; name: string } | null;
}

const overrideColumns = (sql: Db) => sql`
  o.id,
  o.metric_id,
  o.status,
  o.reason,
  case when s.id is null then null else json_build_object('id', s.id, 'name', s.name) end as set_by,
  o.set_at,
  o.cleared_at,
  case when c.id is null then null else json_build_object('id', c.id, 'name', c.name) end as cleared_by
`;

/** Sets a new override, clearing the one in force (if any) in the same transaction. */
export async function setMetricOverride(
  sql: Db,
  input: { metricId: string; status: OverrideRow['status']; reason: string; userId: string; now: Date },
): Promise<void> {
  await transaction(sql, async (tx) => {
    // Two owners overriding at once must not leave two overrides in force.
    await tx`
      select id
      from metrics
      where id = ${input.metricId}
      for update
    `;
    await tx`
      update status_overrides
      set
        cleared_at = ${input.now},
        cleared_by = ${input.userId}
      where metric_id = ${input.metricId}
        and cleared_at is null
    `;
    await tx`
      insert into status_overrides (metric_id, status, reason, set_by, set_at)
      values (${input.metricId}, ${input.status}, ${input.reason}, ${input.userId}, ${input.now})
    `;
  });
}

/** Clears the override in force; false when there was none. */
export async function clearMetricOverride(sql: Db, metricId: string, userId: string, now: Date): Promise<boolean> {
  const rows = await sql`
    update status_overrides
    set
      cleared_at = ${now},
      cleared_by = ${userId}
    where metric_id = ${metricId}
      and cleared_at is null
    returning id
  `;
  return rows.length > 0;
}

export async function listMetricOverrides(sql: Db, metricId: string): Promise<OverrideRow[]> {
  return sql<OverrideRow[]>`
    select ${overrideColumns(sql)}
    from status_overrides o
    left join users s on s.id = o.set_by
    left join users c on c.id = o.cleared_by
    where o.metric_id = ${metricId}
    order by o.set_at desc, o.id
  `;
}

/** The override in force for each of the metrics that have one. */
export async function activeMetricOverrides(sql: Db, metricIds: string[]): Promise<Map<string, OverrideRow>> {
  if (metricIds.length === 0) return new Map();
  const rows = await sql<OverrideRow[]>`
    select ${overrideColumns(sql)}
    from status_overrides o
    left join users s on s.id = o.set_by
    left join users c on c.id = o.cleared_by
    where o.metric_id = any(${metricIds}::uuid[])
      and o.cleared_at is null
  `;
  return new Map(rows.map((row) => [row.metricId, row]));
}
