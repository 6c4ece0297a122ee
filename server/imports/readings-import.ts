// CSV imports of readings as background jobs: the file is parsed as a stream in small slices and
// written in chunks, yielding between them, so a 100,000-row file never blocks other requests.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { runInBackground, yieldToEventLoop } from '../background.ts';
import type { Sql } from '../db/connect.ts';
import { readRow, type ImportMapping, type ImportedReading } from '../domain/import-mapping.ts';
import type { EventBus } from '../events.ts';
import { ingestByMetric } from '../ingest.ts';
import type { Logger } from '../logger.ts';
import { listMetrics, type MetricRow } from '../store/metrics.ts';

const SLICE_CHARS = 64 * 1024;
const CHUNK_ROWS = 2000;
/** Enough rejected rows to fix a file; the count says how many there were in all. */
const REJECTED_SHOWN = 100;
const JOBS_KEPT = 200;

export interface ImportJob {
  id: string;
  organizationId: string;
  status: 'running' | 'done' | 'failed';
  totalRows: number;
  processedRows: number;
  accepted: number;
  duplicates: number;
  rejectedCount: number;
  rejected: { row: number; issues: { path: string; message: string }[] }[];
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
}

export interface ImportRequest {
  organizationId: string;
  csv: string;
  mapping: ImportMapping;
  defaultMetricId: string | null;
  defaultSource: string;
}

export interface ImportJobs {
  start(request: ImportRequest): ImportJob;
  find(organizationId: string, id: string): ImportJob | undefined;
}

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

export function createImportJobs(deps: { sql: Sql; events: EventBus; logger: Logger; now: () => Date }): ImportJobs {
  const jobs = new Map<string, ImportJob>();

  async function flush(job: ImportJob, metrics: Map<string, MetricRow>, rows: ImportedReading[]) {
    const { accepted, duplicates } = await ingestByMetric(deps, metrics, rows);
    job.accepted += accepted;
    job.duplicates += duplicates;
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
    };
    const parser = Readable.from(slices(request.csv)).pipe(
      parse({ columns: true, skip_empty_lines: true, trim: true, relax_column_count: true, bom: true }),
    );
    let chunk: ImportedReading[] = [];
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      job.processedRows += 1;
      const result = readRow(record, request.mapping, context);
      if (result.ok) chunk.push(result.reading);
      else {
        job.rejectedCount += 1;
        // +1 for the header line: the number a person sees in a spreadsheet.
        if (job.rejected.length < REJECTED_SHOWN)
          job.rejected.push({ row: job.processedRows + 1, issues: result.issues });
      }
      if (chunk.length >= CHUNK_ROWS) {
        await flush(job, metrics, chunk);
        chunk = [];
        await yieldToEventLoop();
      }
    }
    await flush(job, metrics, chunk);
    job.totalRows = job.processedRows;
  }

  function forget() {
    if (jobs.size <= JOBS_KEPT) return;
    for (const [id, job] of jobs) {
      if (job.status !== 'running') jobs.delete(id);
      if (jobs.size <= JOBS_KEPT) return;
    }
  }

  return {
    start(request) {
      forget();
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
        startedAt: deps.now(),
        finishedAt: null,
        error: null,
      };
      jobs.set(job.id, job);
      runInBackground(deps.logger, `import ${job.id}`, async () => {
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
        }
      });
      return job;
    },
    find(organizationId, id) {
      const job = jobs.get(id);
      return job && job.organizationId === organizationId ? job : undefined;
    },
  };
}
