// Objectives (with an owner) and their key results (each measured by at most one metric).
import type { Db } from '../db/connect.ts';

export interface ObjectiveInput {
  title: string;
  description: string;
  ownerId: string;
}

export interface ObjectiveRow extends ObjectiveInput {
  id: string;
  owner: { id: string; name: string };
  createdAt: Date;
}

export interface KeyResultInput {
  objectiveId: string;
  title: string;
  metricId: string | null;
}

export interface KeyResultRow extends KeyResultInput {
  id: string;
  createdAt: Date;
}

export async function insertObjective(sql: Db, organizationId: string, input: ObjectiveInput): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into objectives (organization_id, title, description, owner_id)
    values (${organizationId}, ${input.title}, ${input.description}, ${input.ownerId})
    returning id
  `;
  return row!.id;
}

export async function listObjectives(sql: Db, organizationId: string): Promise<ObjectiveRow[]> {
  return sql<ObjectiveRow[]>`
    select
      o.id,
      o.title,
      o.description,
      o.owner_id,
      json_build_object('id', u.id, 'name', u.name) as owner,
      o.created_at
    from objectives o
    join users u on u.id = o.owner_id
    where o.organization_id = ${organizationId}
    order by o.created_at, o.id
  `;
}

export async function updateObjective(
  sql: Db,
  organizationId: string,
  id: string,
  input: ObjectiveInput,
  now: Date,
): Promise<boolean> {
  const rows = await sql`
    update objectives
    set
      title = ${input.title},
      description = ${input.description},
      owner_id = ${input.ownerId},
      updated_at = ${now}
    where id = ${id}
      and organization_id = ${organizationId}
    returning id
  `;
  return rows.length > 0;
}

export async function deleteObjective(sql: Db, organizationId: string, id: string): Promise<boolean> {
  const rows = await sql`
    delete from objectives
    where id = ${id}
      and organization_id = ${organizationId}
    returning id
  `;
  return rows.length > 0;
}

export async function insertKeyResult(sql: Db, organizationId: string, input: KeyResultInput): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into key_results (organization_id, objective_id, title, metric_id)
    values (${organizationId}, ${input.objectiveId}, ${input.title}, ${input.metricId})
    returning id
  `;
  return row!.id;
}

export async function listKeyResults(sql: Db, organizationId: string): Promise<KeyResultRow[]> {
  return sql<KeyResultRow[]>`
    select
      id,
      objective_id,
      title,
      metric_id,
      created_at
    from key_results
    where organization_id = ${organizationId}
    order by created_at, id
  `;
}

export async function updateKeyResult(
  sql: Db,
  organizationId: string,
  id: string,
  input: KeyResultInput,
  now: Date,
): Promise<boolean> {
  const rows = await sql`
    update key_results
    set
      objective_id = ${input.objectiveId},
      title = ${input.title},
      metric_id = ${input.metricId},
      updated_at = ${now}
    where id = ${id}
      and organization_id = ${organizationId}
    returning id
  `;
  return rows.length > 0;
}

export async function deleteKeyResult(sql: Db, organizationId: string, id: string): Promise<boolean> {
  const rows = await sql`
    delete from key_results
    where id = ${id}
      and organization_id = ${organizationId}
    returning id
  `;
  return rows.length > 0;
}

/** Which of the given ids exist in the organization's table; for checking references. */
export async function idsInOrganization(
  sql: Db,
  table: 'objectives' | 'key_results' | 'metrics' | 'initiatives',
  organizationId: string,
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await sql<{ id: string }[]>`
    select
      id
    from ${sql(table)}
    where organization_id = ${organizationId}
      and id = any(${ids}::uuid[])
  `;
  return new Set(rows.map((row) => row.id));
}
