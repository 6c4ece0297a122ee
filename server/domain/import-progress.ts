// What a CSV import reports while it runs and once it has finished, and how a stored report is read later.

/** An import's progress, as the API returns it (with its id and times) and the import page shows it. */
export interface ImportProgress {
  status: 'running' | 'done' | 'failed';
  totalRows: number;
  processedRows: number;
  accepted: number;
  duplicates: number;
  rejectedCount: number;
  rejected: RejectedRow[];
  error: string | null;
}

/** A row that was not written; a jump far outside the metric's recent readings carries the reading, to confirm. */
export interface RejectedRow {
  row: number;
  issues: { path: string; message: string }[];
  jump?: JumpToConfirm;
}

/** The reading of a row refused only as a jump: the person may record it anyway, confirming it. */
export interface JumpToConfirm {
  metricId: string;
  value: number;
  at: string;
  source: string;
  note: string | null;
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
