// Dependencies between initiatives of one organization. Writes that could close a cycle run under an
// organization-wide lock, so two concurrent additions cannot together make a loop.
import type { Db } from '../db/connect.ts';

export interface DependencyInput {
  dependentId: string;
  dependencyId: string;
  note: string;
  /** A calendar date (YYYY-MM-DD), or null. */
  neededBy: string | null;
  requesterId: string;
  providerId: string;
}

export interface DependencyRow extends DependencyInput {
  id: string;
  requester: { id: string; name: string };
  provider: { id: string; name: string };
  createdAt: Date;
  updatedAt: Date;
}

/** Serializes dependency changes within an organization until the transaction ends. */
export async function lockDependencies(tx: Db, organizationId: string): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended(${'dependencies:' + organizationId}, 0))`;
}

export async function listDependencies(sql: Db, organizationId: string, id?: string): Promise<DependencyRow[]> {
  return sql<DependencyRow[]>`
    select
      d.id,
      d.dependent_id,
      d.dependency_id,
      d.note,
      to_char(d.needed_by, 'YYYY-MM-DD') as needed_by,
      d.requester_id,
      d.provider_id,
      json_build_object('id', r.id, 'name', r.name) as requester,
      json_build_object('id', p.id, 'name', p.name) as provider,
      d.created_at,
      d.updated_at
    from initiative_dependencies d
    join users r on r.id = d.requester_id
    join users p on p.id = d.provider_id
    where d.organization_id = ${organizationId}
      ${id ? sql`and d.id = ${id}` : sql``}
    order by d.created_at, d.id
  `;
}

/** Inserts a dependency; returns null when the same one exists already. */
export async function insertDependency(
  sql: Db,
  organizationId: string,
  input: DependencyInput,
  createdBy: string,
): Promise<string | null> {
  const [row] = await sql<{ id: string }[]>`
    insert into initiative_dependencies (
      organization_id, dependent_id, dependency_id, note, needed_by, requester_id, provider_id, created_by
    )
    values (
      ${organizationId}, ${input.dependentId}, ${input.dependencyId}, ${input.note}, ${input.neededBy},
      ${input.requesterId}, ${input.providerId}, ${createdBy}
    )
    on conflict (dependent_id, dependency_id) do nothing
    returning id
  `;
  return row?.id ?? null;
}

export async function updateDependency(
  sql: Db,
  organizationId: string,
  id: string,
  input: Pick<DependencyInput, 'note' | 'neededBy' | 'requesterId' | 'providerId'>,
  now: Date,
): Promise<boolean> {
  const rows = await sql`
    update initiative_dependencies
    set
      note = ${input.note},
      needed_by = ${input.neededBy},
      requester_id = ${input.requesterId},
      provider_id = ${input.providerId},
      updated_at = ${now}
    where organization_id = ${organizationId} and id = ${id}
    returning id
  `;
  return rows.length > 0;
}

export async function deleteDependency(sql: Db, organizationId: string, id: string): Promise<boolean> {
  const rows = await sql`
    delete from initiative_dependencies
    where organization_id = ${organizationId} and id = ${id}
    returning id
  `;
  return rows.length > 0;
}
