// An owner's status override with its reason, on a metric or an initiative; every override stays in
// history, the newest uncleared one applies.
import { transaction, type Db } from '../db/connect.ts';
import type { Status } from '../domain/slip.ts';

/** What an override is about: exactly one of a metric or an initiative (a CHECK in the schema). */
export type OverrideTarget = { kind: 'metric'; id: string } | { kind: 'initiative'; id: string };

export interface OverrideRow {
  id: string;
  metricId: string | null;
  initiativeId: string | null;
  status: Exclude<Status, 'no data' | 'stale'>;
  reason: string;
  setBy: { id: string; name: string } | null;
  setAt: Date;
  clearedAt: Date | null;
  clearedBy: { id: string; name: string } | null;
}

const overrideColumns = (sql: Db) => sql`
  o.id,
  o.metric_id,
  o.initiative_id,
  o.status,
  o.reason,
  case when s.id is null then null else json_build_object('id', s.id, 'name', s.name) end as set_by,
  o.set_at,
  o.cleared_at,
  case when c.id is null then null else json_build_object('id', c.id, 'name', c.name) end as cleared_by
`;

// One of the two is null, and `column = null` never matches, so each predicate selects only its kind.
const metricIdOf = (target: OverrideTarget) => (target.kind === 'metric' ? target.id : null);
const initiativeIdOf = (target: OverrideTarget) => (target.kind === 'initiative' ? target.id : null);

/** Sets a new override, clearing the one in force (if any) in the same transaction. */
export async function setOverride(
  sql: Db,
  target: OverrideTarget,
  input: { status: OverrideRow['status']; reason: string; userId: string; now: Date },
): Promise<void> {
  await transaction(sql, async (tx) => {
    // Two owners overriding at once must not leave two overrides in force.
    if (target.kind === 'metric') {
      await tx`
        select id
        from metrics
        where id = ${target.id}
        for update
      `;
    } else {
      await tx`
        select id
        from initiatives
        where id = ${target.id}
        for update
      `;
    }
    await clearOverride(tx, target, input.userId, input.now);
    await tx`
      insert into status_overrides (metric_id, initiative_id, status, reason, set_by, set_at)
      values (
        ${metricIdOf(target)}, ${initiativeIdOf(target)}, ${input.status}, ${input.reason}, ${input.userId}, ${input.now}
      )
    `;
  });
}

/** Clears the override in force; false when there was none. */
export async function clearOverride(sql: Db, target: OverrideTarget, userId: string, now: Date): Promise<boolean> {
  const rows = await sql`
    update status_overrides
    set
      cleared_at = ${now},
      cleared_by = ${userId}
    where (metric_id = ${metricIdOf(target)} or initiative_id = ${initiativeIdOf(target)})
      and cleared_at is null
    returning id
  `;
  return rows.length > 0;
}

export async function listOverrides(sql: Db, target: OverrideTarget): Promise<OverrideRow[]> {
  return sql<OverrideRow[]>`
    select ${overrideColumns(sql)}
    from status_overrides o
    left join users s on s.id = o.set_by
    left join users c on c.id = o.cleared_by
    where (o.metric_id = ${metricIdOf(target)} or o.initiative_id = ${initiativeIdOf(target)})
    order by o.set_at desc, o.id
  `;
}

/** The override in force for each of the metrics (or initiatives) that have one, keyed by their id. */
export async function activeOverrides(
  sql: Db,
  kind: OverrideTarget['kind'],
  ids: string[],
): Promise<Map<string, OverrideRow>> {
  if (ids.length === 0) return new Map();
  const column = kind === 'metric' ? 'metric_id' : 'initiative_id';
  const rows = await sql<OverrideRow[]>`
    select ${overrideColumns(sql)}
    from status_overrides o
    left join users s on s.id = o.set_by
    left join users c on c.id = o.cleared_by
    where o.${sql(column)} = any(${ids}::uuid[])
      and o.cleared_at is null
  `;
  return new Map(rows.map((row) => [(kind === 'metric' ? row.metricId : row.initiativeId)!, row]));
}
