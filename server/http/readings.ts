// Ingestion: data sources and people push metric readings; each accepted reading (or correction, or deletion)
// re-assesses the metric at once and publishes domain events (metric.updated, and metric.slipped/recovered on
// crossings), which re-run triage.
import { createHash } from 'node:crypto';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireMetricMember, requireMetricOrToken, requireOrgOrToken } from './middleware/require-org-access.ts';
import { readingTimeProblem } from '../domain/plausible-input.ts';
import { PLAUSIBILITY_CODES } from '../domain/reading-plausibility.ts';
import { assessedAt } from '../domain/staleness.ts';
import { ingest, refusalIssue, type MetricReading } from '../services/ingest.ts';
import { publishMetricChange } from '../services/metric-changes.ts';
import { findMetric, listMetrics } from '../store/metrics.ts';
import { deleteReading } from '../store/reading-writes.ts';
import { findReading, readingHistory, recentReadings, type ReadingInput, type ReadingRow } from '../store/readings.ts';
import type { AppEnv } from './context.ts';
import { ApiError, badRequest, notFound, validationHook, zodIssues, type Issue } from './errors.ts';
import { toAssessment } from './metric-views.ts';
import { requirePortfolioRight } from './portfolio-access.ts';
import {
  BatchReadingsSchema,
  BatchResultSchema,
  BatchRowSchema,
  IdempotencyHeaders,
  ReadingBodySchema,
  ReadingHistorySchema,
  ReadingParams,
  ReadingResultSchema,
  StoredReadingSchema,
} from './reading-schemas.ts';
import { errors, iso, jsonBody, jsonResponse, noContent } from './route-helpers.ts';
import { MetricParams, OrgParams } from './params.ts';

const pushReading = createRoute({
  method: 'post',
  path: '/metrics/{metricId}/readings',
  tags: ['metrics'],
  summary: 'Push a reading (session or API token); one reading per (metric, at, source)',
  description:
    'A new reading answers 201. The same (at, source) again with the same value answers 200 with duplicate: true ' +
    'and changes nothing; with another value it is a correction: the value (and note) are replaced, the old ones ' +
    'kept in the reading’s history (GET …/readings/{readingId}/history), and it answers 200 with corrected: true. ' +
    'Without `at` the reading is dated now; a reading dated more than READING_FUTURE_TOLERANCE_HOURS (24 unless ' +
    'set) ahead of the server’s clock is refused (400 naming `at`). A value the metric cannot take (beyond ±10^15, ' +
    'outside its plausible bounds, or outside 0–100 for a percent metric without bounds of its own) is refused ' +
    '(400 naming `value`, code reading_out_of_bounds); a value far outside the recent readings answers 409 with ' +
    'code reading_jump and is recorded when sent again with confirmJump: true. With an Idempotency-Key header, a retry of ' +
    'the same request to the same metric within 24 hours gets the first answer back (status and body, with ' +
    'Idempotent-Replayed: true) and stores nothing, so a reading without `at` sent twice is stored once; the same ' +
    'key with another body answers 422.',
  middleware: [requireMetricOrToken] as const,
  request: { params: MetricParams, headers: IdempotencyHeaders, body: jsonBody(ReadingBodySchema) },
  responses: {
    201: jsonResponse(ReadingResultSchema, 'Recorded'),
    200: jsonResponse(ReadingResultSchema, 'Already recorded (a retry), or corrected'),
    ...errors(400, 401, 404, 409, 422),
  },
});

const listReadings = createRoute({
  method: 'get',
  path: '/metrics/{metricId}/readings',
  tags: ['metrics'],
  summary: 'The latest readings of a metric, newest first (session or API token)',
  description: 'Each reading’s earlier values and its corrections are at GET …/readings/{readingId}/history.',
  middleware: [requireMetricOrToken] as const,
  request: {
    params: MetricParams,
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
  },
  responses: {
    200: jsonResponse(z.object({ readings: z.array(StoredReadingSchema) }), 'Readings'),
    ...errors(400, 401, 404),
  },
});

const historyRoute = createRoute({
  method: 'get',
  path: '/metrics/{metricId}/readings/{readingId}/history',
  tags: ['metrics'],
  summary: 'A reading as it is now and what it was before each correction, or its deletion (session or API token)',
  description:
    'history lists, oldest first, each change with the value and note the reading had before it: `corrected` ' +
    '(a POST with the same at and source and another value) or `deleted`. A deleted reading answers with ' +
    'reading: null and its history.',
  middleware: [requireMetricOrToken] as const,
  request: { params: ReadingParams },
  responses: { 200: jsonResponse(ReadingHistorySchema, 'The reading and its history'), ...errors(400, 401, 404) },
});

const deleteReadingRoute = createRoute({
  method: 'delete',
  path: '/metrics/{metricId}/readings/{readingId}',
  tags: ['metrics'],
  summary: 'Delete a reading (the metric’s owner or an admin)',
  description:
    'The deleted reading is kept in its history; the metric is re-assessed and its status change published as ' +
    'after a new reading (so triage runs again).',
  middleware: [requireMetricMember] as const,
  request: { params: ReadingParams },
  responses: { ...noContent, ...errors(400, 401, 403, 404) },
});

const pushBatch = createRoute({
  method: 'post',
  path: '/orgs/{orgId}/readings',
  tags: ['metrics'],
  summary: 'Push readings of many metrics at once (session or API token)',
  description:
    'Good rows are kept; bad rows are listed with their index and reason. Idempotent per row; a row with a known ' +
    '(metric, at, source) and another value is a correction, as for a single reading. A row out of its metric’s ' +
    'plausible bounds, or far outside its recent readings without confirmJump: true, is rejected naming `value`.',
  middleware: [requireOrgOrToken] as const,
  request: { params: OrgParams, body: jsonBody(BatchReadingsSchema) },
  responses: { 200: jsonResponse(BatchResultSchema, 'What was accepted and rejected'), ...errors(400, 401, 403) },
});

type ReadingResult = z.infer<typeof ReadingResultSchema>;

const view = (r: ReadingRow) => ({ id: r.id, at: iso(r.at), value: r.value, source: r.source, note: r.note });

/** What makes two keyed requests the same: the body as validated, `at` as sent (absent stays absent). */
function fingerprint(body: z.infer<typeof ReadingBodySchema>): string {
  const canonical = JSON.stringify([body.value, body.at?.toISOString() ?? null, body.source, body.note]);
  return createHash('sha256').update(canonical).digest('hex');
}

export function readingRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(pushReading, async (c) => {
    const { metricId } = c.req.valid('param');
    const body = c.req.valid('json');
    const key = c.req.valid('header')['idempotency-key'];
    const { sql, config } = c.var.deps;
    const now = c.var.deps.now();
    const reading: ReadingInput = { at: body.at ?? now, value: body.value, source: body.source, note: body.note };
    const late = readingTimeProblem(reading.at, now, config.readingFutureToleranceMs);
    if (late) throw badRequest('Invalid request', [{ path: 'at', message: late }]);
    const metric = await findMetric(sql, metricId);
    if (!metric) throw notFound('No such metric');
    const report = await ingest(
      c.var.deps,
      new Map([[metric.id, metric]]),
      [{ ...reading, metricId, confirmJump: body.confirmJump }],
      {
        changedBy: c.var.actor.name,
        single: {
          idempotency: key === undefined ? undefined : { key, fingerprint: fingerprint(body) },
          respond: (outcome) => ({
            status: outcome.accepted > 0 ? 201 : 200,
            body: {
              duplicate: outcome.accepted + outcome.corrected === 0,
              corrected: outcome.corrected > 0,
              reading: view(outcome.reading),
              assessment: toAssessment(assessedAt(outcome.after, metric.frequency, now)),
            } satisfies ReadingResult,
          }),
        },
      },
    );
    const refusal = report.refused.get(0);
    if (refusal?.kind === 'out of bounds') {
      const issues = [{ path: 'value', message: refusal.message }];
      throw new ApiError(400, refusal.message, issues, {}, PLAUSIBILITY_CODES.outOfBounds);
    }
    if (refusal) {
      const issues = [
        { path: 'value', message: `${refusal.message}: send it again with confirmJump: true to record it anyway` },
      ];
      throw new ApiError(409, refusal.message, issues, {}, PLAUSIBILITY_CODES.jump);
    }
    const result = report.single;
    if (!result) throw notFound('No such metric');
    if (result.kind === 'key reused') {
      throw new ApiError(
        422,
        'This Idempotency-Key was sent with another reading for this metric in the last 24 hours: use a new key for a new reading',
        [{ path: 'header.idempotency-key', message: 'was already used with another body' }],
      );
    }
    if (result.kind === 'replayed') c.header('Idempotent-Replayed', 'true');
    const answer = result.answer.body as ReadingResult;
    return result.answer.status === 201 ? c.json(answer, 201) : c.json(answer, 200);
  });

  app.openapi(listReadings, async (c) => {
    const { metricId } = c.req.valid('param');
    const { limit } = c.req.valid('query');
    const rows = await recentReadings(c.var.deps.sql, metricId, limit);
    return c.json({ readings: rows.map(view) }, 200);
  });

  app.openapi(historyRoute, async (c) => {
    const { metricId, readingId } = c.req.valid('param');
    const [reading, history] = await Promise.all([
      findReading(c.var.deps.sql, metricId, readingId),
      readingHistory(c.var.deps.sql, metricId, readingId),
    ]);
    if (!reading && history.length === 0) throw notFound('No such reading of this metric');
    return c.json(
      {
        reading: reading ? view(reading) : null,
        history: history.map((h) => ({
          change: h.change,
          value: h.value,
          note: h.note,
          changedBy: h.changedBy,
          changedAt: iso(h.changedAt),
        })),
      },
      200,
    );
  });

  app.openapi(deleteReadingRoute, async (c) => {
    const { metricId, readingId } = c.req.valid('param');
    const metric = await findMetric(c.var.deps.sql, metricId);
    if (!metric) throw notFound('No such metric');
    requirePortfolioRight(c, 'metric', 'change', metric.owner.id);
    const outcome = await deleteReading(c.var.deps.sql, metricId, readingId, c.var.actor.name, c.var.deps.now());
    if (!outcome) throw notFound('No such reading of this metric');
    publishMetricChange(c.var.deps.events, metric, outcome, c.var.deps.now());
    return c.body(null, 204);
  });

  app.openapi(pushBatch, async (c) => {
    const { readings } = c.req.valid('json');
    const now = c.var.deps.now();
    const tolerance = c.var.deps.config.readingFutureToleranceMs;
    const metrics = new Map((await listMetrics(c.var.deps.sql, c.var.organizationId)).map((m) => [m.id, m]));
    const rejected: { index: number; issues: Issue[] }[] = [];
    const valid: (MetricReading & { index: number; confirmJump: boolean })[] = [];
    readings.forEach((raw, index) => {
      const row = BatchRowSchema.safeParse(raw);
      if (!row.success) return rejected.push({ index, issues: zodIssues(row.error) });
      const late = row.data.at && readingTimeProblem(row.data.at, now, tolerance);
      if (late) return rejected.push({ index, issues: [{ path: 'at', message: late }] });
      if (!metrics.has(row.data.metricId)) {
        return rejected.push({
          index,
          issues: [{ path: 'metricId', message: 'is not a metric of this organization' }],
        });
      }
      valid.push({ ...row.data, at: row.data.at ?? now, index });
    });
    const hint = 'send the row again with confirmJump: true to record it anyway';
    const { accepted, corrected, duplicates, refused } = await ingest(c.var.deps, metrics, valid, {
      changedBy: c.var.actor.name,
    });
    for (const [at, refusal] of refused)
      rejected.push({ index: valid[at]!.index, issues: [refusalIssue(refusal, hint)] });
    rejected.sort((a, b) => a.index - b.index);
    return c.json({ accepted, corrected, duplicates, rejected }, 200);
  });

  return app;
}
