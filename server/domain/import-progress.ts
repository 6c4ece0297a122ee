// What a CSV import reports while it runs and once it has finished, and how a stored report is read later.

/** An import's progress, as the API returns it (with its id and times) and the import page shows it. */
export interface ImportProgress {
  status: 'running' | 'done' | 'failed';
  totalRows: number;
  processedRows: number;
  accepted: number;
  duplicates: number;
  rejectedCount: number;
  rejected: { row: number; issues: { path: string; message: string }[] }[];
  error: string | null;
}

/** A running import whose progress was not written for this long lost its process. */
export const STALE_IMPORT_MS = 60_000;

/** A stored report as it stands at `now`: still "running" with no progress for a minute means its process died. */
export function progressAsOf<T extends ImportProgress>(job: T, updatedAt: Date, now: Date): T {
  if (job.status !== 'running' || now.getTime() - updatedAt.getTime() <= STALE_IMPORT_MS) return job;
  return {
    ...job,
    status: 'failed',
    error:
      'The server running this import stopped. Import the file again: rows already imported are kept, and ' +
      'importing them again only counts them as duplicates.',
  };
}
