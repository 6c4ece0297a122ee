// Progress of background CSV imports, shared by every process (see db/migrations/011_import_jobs.sql).
import type { Db } from '../db/connect.ts';
import type { ImportProgress } from '../domain/import-progress.ts';

export interface ImportJobRow extends ImportProgress {
  id: string;
  organizationId: string;
  startedAt: Date;
  finishedAt: Date | null;
}

export async function insertImportJob(sql: Db, job: ImportJobRow, at: Date): Promise<void> {
  await sql`
    insert into import_jobs (id, organization_id, status, total_rows, started_at, updated_at)
    values (${job.id}, ${job.organizationId}, ${job.status}, ${job.totalRows}, ${job.startedAt}, ${at})
  `;
}

/** Writes the job's progress as it stands (the whole row: reports may arrive in any order only from one process). */
export async function saveImportProgress(sql: Db, job: ImportJobRow, at: Date): Promise<void> {
  await sql`
    update import_jobs
    set
      status = ${job.status},
      total_rows = ${job.totalRows},
      processed_rows = ${job.processedRows},
      accepted = ${job.accepted},
      duplicates = ${job.duplicates},
      rejected_count = ${job.rejectedCount},
      rejected = ${sql.json(job.rejected as never)},
      error = ${job.error},
      finished_at = ${job.finishedAt},
      updated_at = ${at}
    where id = ${job.id}
  `;
}

export async function findImportJob(
  sql: Db,
  organizationId: string,
  id: string,
): Promise<(ImportJobRow & { updatedAt: Date }) | undefined> {
  const [row] = await sql<(ImportJobRow & { updatedAt: Date })[]>`
    select
      id,
      organization_id,
      status,
      total_rows,
      processed_rows,
      accepted,
      duplicates,
      rejected_count,
      rejected,
      started_at,
      finished_at,
      error,
      updated_at
    from import_jobs
    where id = ${id} and organization_id = ${organizationId}
  `;
  return row;
}

/** Forgets imports that finished before `before`. */
export async function deleteFinishedImportJobs(sql: Db, before: Date): Promise<void> {
  await sql`
    delete from import_jobs
    where finished_at < ${before}
  `;
}
