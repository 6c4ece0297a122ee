// Initiatives: one accountable owner, a team, the key result they serve, optional money, tracker links.
import type { Db } from '../db/connect.ts';

export interface Link {
  label: string;
  url: string;
}

export interface InitiativeInput {
  title: string;
  description: string;
  ownerId: string;
  team: string;
  keyResultId: string | null;
  plannedValue: number | null;
  realizedValue: number | null;
  currency: string | null;
  startAt: Date | null;
  targetAt: Date | null;
  links: Link[];
}

export interface InitiativeRow extends InitiativeInput {
  id: string;
  owner: { id: string; name: string };
  metricIds: string[];
  createdAt: Date;
}

export async function insertInitiative(sql: Db, organizationId: string, input: InitiativeInput): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into initiatives (
      organization_id, title, description, owner_id, team, key_result_id,
      planned_value, realized_value, currency, start_at, target_at, links
    )
    values (
      ${organizationId}, ${input.title}, ${input.description}, ${input.ownerId}, ${input.team}, ${input.keyResultId},
      ${input.plannedValue}, ${input.realizedValue}, ${input.currency}, ${input.startAt}, ${input.targetAt},
      ${sql.json(input.links as unknown as Parameters<typeof sql.json>[0])}
    )
    returning id
  `;
  return row!.id;
}

export async function listInitiatives(sql: Db, organizationId: string, id?: string): Promise<InitiativeRow[]> {
  return sql<InitiativeRow[]>`
    select
      i.id,
      i.title,
      i.description,
      i.owner_id,
      json_build_object('id', u.id, 'name', u.name) as owner,
      i.team,
      i.key_result_id,
      i.planned_value,
      i.realized_value,
      i.currency,
      i.start_at,
      i.target_at,
      i.links,
      coalesce(
        (select array_agg(mi.metric_id order by mi.metric_id) from metric_initiatives mi where mi.initiative_id = i.id),
        '{}'
      ) as metric_ids,
      i.created_at
    from initiatives i
    join users u on u.id = i.owner_id
    where i.organization_id = ${organizationId}
      and (${id ?? null}::uuid is null or i.id = ${id ?? null}::uuid)
    order by i.team, i.title, i.id
  `;
}

export async function updateInitiative(
  sql: Db,
  organizationId: string,
  id: string,
  input: InitiativeInput,
  now: Date,
): Promise<boolean> {
  const rows = await sql`
    update initiatives
    set
      title = ${input.title},
      description = ${input.description},
      owner_id = ${input.ownerId},
      team = ${input.team},
      key_result_id = ${input.keyResultId},
      planned_value = ${input.plannedValue},
      realized_value = ${input.realizedValue},
      currency = ${input.currency},
      start_at = ${input.startAt},
      target_at = ${input.targetAt},
      links = ${sql.json(input.links as unknown as Parameters<typeof sql.json>[0])},
      updated_at = ${now}
    where id = ${id}
      and organization_id = ${organizationId}
    returning id
  `;
  return rows.length > 0;
}

export async function deleteInitiative(sql: Db, organizationId: string, id: string): Promise<boolean> {
  const rows = await sql`
    delete from initiatives
    where id = ${id}
      and organization_id = ${organizationId}
    returning id
  `;
  return rows.length > 0;
}

/** Team names in use, most used first, for suggestions. */
export async function listTeams(sql: Db, organizationId: string): Promise<string[]> {
  const rows = await sql<{ team: string }[]>`
    select
      team
    from initiatives
    where organization_id = ${organizationId}
    group by team
    order by count(*) desc, team
  `;
  return rows.map((row) => row.team);
}
