// CSV imports of readings as background jobs: the file is parsed as a stream in small slices and
// written in chunks, yielding between them, so a 100,000-row file never blocks other requests.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { yieldToEventLoop, type BackgroundWork } from '../background.ts';
import type { Sql } from '../db/connect.ts';
import { progressAsOf, type JumpToConfirm } from '../domain/import-progress.ts';
import { readRow, type ImportMapping, type ImportedReading } from '../domain/import-mapping.ts';
import type { EventBus } from '../domain/events.ts';
import { ingest, refusalIssue } from './ingest.ts';
import type { Logger } from '../logger.ts';
import {
  deleteFinishedImportJobs,
  findImportJob,
  insertImportJob,
  saveImportProgress,
  type ImportJobRow,
} from '../store/import-jobs.ts';
import { listMetrics, type MetricRow } from '../store/metrics.ts';

const SLICE_CHARS = 64 * 1024;
const CHUNK_ROWS = 2000;
/** Enough rejected rows to fix a file; the count says how many there were in all. */
const REJECTED_SHOWN = 100;
/** A file has no way to confirm a jump row by row: the import's result offers to record that reading anyway. */
const JUMP_HINT = 'if it is right, record it anyway from this list or on the metric page';

export type ImportJob = ImportJobRow;

export interface ImportRequest {
  organizationId: string;
  csv: string;
  mapping: ImportMapping;
  defaultMetricId: string | null;
  defaultSource: string;
}

export interface ImportJobs {
  /** Records the job (any process can then report on it) and runs it in the background. */
  start(request: ImportRequest): Promise<ImportJob>;
  find(organizationId: string, id: string): Promise<ImportJob | undefined>;
}

/** Finished imports are kept this long. */
const KEPT_MS = 30 * 24 * 3600_000;

/** Rows in a CSV text, header excluded (quoted line breaks make it an estimate, corrected at the end). */
export function countRows(csv: string): number {
  let lines = 0;
  for (let index = csv.indexOf('\n'); index !== -1; index = csv.indexOf('\n', index + 1)) lines += 1;
  if (csv.length > 0 && !csv.endsWith('\n')) lines += 1;
  return Math.max(0, lines - 1);
}

function* slices(text: string) {
  for (let start = 0; start < text.length; start += SLICE_CHARS) yield text.slice(start, start + SLICE_CHARS);
}

export function createImportJobs(deps: {
  sql: Sql;
  events: EventBus;
  logger: Logger;
  background: BackgroundWork;
  now: () => Date;
  /** How far ahead of now a row may be dated (READING_FUTURE_TOLERANCE_HOURS). */
  futureToleranceMs?: number;
}): ImportJobs {
  /** The jobs this process runs, with their freshest progress. */
  const running = new Map<string, ImportJob>();

  function reject(job: ImportJob, row: number, issues: { path: string; message: string }[], jump?: JumpToConfirm) {
    job.rejectedCount += 1;
    if (job.rejected.length < REJECTED_SHOWN) job.rejected.push(jump ? { row, issues, jump } : { row, issues });
  }

  /** Writes a chunk of rows (with the line each came from), the implausible ones rejected. */
  async function flush(
    job: ImportJob,
    metrics: Map<string, MetricRow>,
    chunk: { reading: ImportedReading; row: number }[],
  ) {
    const readings = chunk.map((entry) => entry.reading);
    const { accepted, corrected, duplicates, refused } = await ingest(deps, metrics, readings, {
      changedBy: 'CSV import',
    });
    for (const [index, refusal] of refused) {
      const { reading, row } = chunk[index]!;
      const { metricId, value, at, source, note } = reading;
      const jump = refusal.kind === 'jump' ? { metricId, value, at: at.toISOString(), source, note } : undefined;
      reject(job, row, [refusalIssue(refusal, JUMP_HINT)], jump);
    }
    job.rejected.sort((a, b) => a.row - b.row);
    // A corrected value was written, so it counts as imported.
    job.accepted += accepted + corrected;
    job.duplicates += duplicates;
    await saveImportProgress(deps.sql, job, deps.now());
  }

  async function run(job: ImportJob, request: ImportRequest) {
    const metrics = new Map((await listMetrics(deps.sql, request.organizationId)).map((m) => [m.id, m]));
    const metricIdsByKey = new Map<string, string>();
    for (const metric of metrics.values()) {
      metricIdsByKey.set(metric.id.toLowerCase(), metric.id);
      metricIdsByKey.set(metric.name.toLowerCase(), metric.id);
    }
    const context = {
      metricIdsByKey,
      defaultMetricId: request.defaultMetricId,
      defaultSource: request.defaultSource,
      now: deps.now(),
      futureToleranceMs: deps.futureToleranceMs,
    };
    const parser = Readable.from(slices(request.csv)).pipe(
      parse({ columns: true, skip_empty_lines: true, trim: true, relax_column_count: true, bom: true }),
    );
    let chunk: { reading: ImportedReading; row: number }[] = [];
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      job.processedRows += 1;
      // +1 for the header line: the number a person sees in a spreadsheet.
      const row = job.processedRows + 1;
      const result = readRow(record, request.mapping, context);
      if (result.ok) chunk.push({ reading: result.reading, row });
      else reject(job, row, result.issues);
      if (chunk.length >= CHUNK_ROWS) {
        await flush(job, metrics, chunk);
        chunk = [];
        await yieldToEventLoop();
      }
    }
    await flush(job, metrics, chunk);
    job.totalRows = job.processedRows;
  }

  return {
    async start(request) {
      const at = deps.now();
      const job: ImportJob = {
        id: randomUUID(),
        organizationId: request.organizationId,
        status: 'running',
        totalRows: countRows(request.csv),
        processedRows: 0,
        accepted: 0,
        duplicates: 0,
        rejectedCount: 0,
        rejected: [],
        startedAt: at,
        finishedAt: null,
        error: null,
      };
      await deleteFinishedImportJobs(deps.sql, new Date(at.getTime() - KEPT_MS));
      await insertImportJob(deps.sql, job, at);
      running.set(job.id, job);
      deps.background.run(
        'background import failed',
        async () => {
          try {
            await run(job, request);
            job.status = 'done';
          } catch (error) {
            job.status = 'failed';
            // A malformed CSV (e.g. an unclosed quote) is the file's problem: say where, keep what was imported.
            job.error = error instanceof Error ? error.message : 'The import failed';
            deps.logger.warn('import failed', { importId: job.id, error: job.error });
          } finally {
            job.finishedAt = deps.now();
            try {
              await saveImportProgress(deps.sql, job, job.finishedAt);
            } finally {
              running.delete(job.id);
            }
          }
        },
        { importId: job.id },
      );
      return job;
    },
    async find(organizationId, id) {
      const local = running.get(id);
      if (local) return local.organizationId === organizationId ? local : undefined;
      const stored = await findImportJob(deps.sql, organizationId, id);
      if (!stored) return undefined;
      const { updatedAt, ...job } = stored;
      return progressAsOf(job, updatedAt, deps.now());
    },
  };
}
