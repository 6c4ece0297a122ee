// Ingestion: data sources and people push metric readings; each accepted reading re-assesses the
// metric at once and publishes domain events (metric.updated, and metric.slipped/recovered on crossings).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requireMetricAccess, requireOrgAccess } from '../auth/org-access.ts';
import { readingTimeProblem } from '../domain/plausible-input.ts';
import { publishMetricChange } from '../events.ts';
import { ingestByMetric, type MetricReading } from '../ingest.ts';
import { findMetric, listMetrics, type MetricRow } from '../store/metrics.ts';
import { ingestReadings, recentReadings, type IngestResult, type ReadingInput } from '../store/readings.ts';
import type { AppEnv } from './context.ts';
import { badRequest, notFound, validationHook, zodIssues, type Issue } from './errors.ts';
import { toAssessment } from './metric-views.ts';
import {
  BatchReadingsSchema,
  BatchResultSchema,
  BatchRowSchema,
  MetricParams,
  ReadingBodySchema,
  ReadingResultSchema,
} from './portfolio-schemas.ts';
import { errors, iso, jsonBody, jsonResponse } from './route-helpers.ts';
import { OrgParams } from './schemas.ts';

const pushReading = createRoute({
  method: 'post',
  path: '/metrics/{metricId}/readings',
  tags: ['metrics'],
  summary: 'Push a reading (session or API token); idempotent on (metric, at, source)',
  description:
    'A new reading answers 201; the same (at, source) again answers 200 with duplicate: true and changes nothing.',
  middleware: [requireMetricAccess({ allowToken: true })] as const,
  request: { params: MetricParams, body: jsonBody(ReadingBodySchema) },
  responses: {
    201: jsonResponse(ReadingResultSchema, 'Recorded'),
    200: jsonResponse(ReadingResultSchema, 'Already recorded (a retry)'),
    ...errors(400, 401, 404),
  },
});

const listReadings = createRoute({
  method: 'get',
  path: '/metrics/{metricId}/readings',
  tags: ['metrics'],
  summary: 'The latest readings of a metric, newest first (session or API token)',
  middleware: [requireMetricAccess({ allowToken: true })] as const,
  request: {
    params: MetricParams,
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
  },
  responses: {
    200: jsonResponse(
      z.object({
        readings: z.array(
          z.object({ at: z.iso.datetime(), value: z.number(), source: z.string(), note: z.string().nullable() }),
        ),
      }),
      'Readings',
    ),
    ...errors(400, 401, 404),
  },
});

const pushBatch = createRoute({
  method: 'post',
  path: '/orgs/{orgId}/readings',
  tags: ['metrics'],
  summary: 'Push readings of many metrics at once (session or API token)',
  description: 'Good rows are kept; bad rows are listed with their index and reason. Idempotent per row.',
  middleware: [requireOrgAccess({ allowToken: true })] as const,
  request: { params: OrgParams, body: jsonBody(BatchReadingsSchema) },
  responses: { 200: jsonResponse(BatchResultSchema, 'What was accepted and rejected'), ...errors(400, 401, 403) },
});

function publish(c: Context<AppEnv>, metric: MetricRow, result: IngestResult) {
  const { status, slip, trend } = result.after;
  publishMetricChange(
    c.var.deps.events,
    metric,
    { previousStatus: result.before, status, slip, trend },
    c.var.deps.now(),
  );
}

export function readingRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(pushReading, async (c) => {
    const { metricId } = c.req.valid('param');
    const body = c.req.valid('json');
    const now = c.var.deps.now();
    const reading: ReadingInput = { at: body.at ?? now, value: body.value, source: body.source, note: body.note };
    const late = readingTimeProblem(reading.at, now);
    if (late) throw badRequest('Invalid request', [{ path: 'at', message: late }]);
    const metric = await findMetric(c.var.deps.sql, metricId);
    const result = metric && (await ingestReadings(c.var.deps.sql, metricId, [reading], now));
    if (!metric || !result) throw notFound('No such metric');
    if (result.accepted > 0) publish(c, metric, result);
    const payload = {
      duplicate: result.accepted === 0,
      reading: { at: iso(reading.at), value: reading.value, source: reading.source, note: reading.note },
      assessment: toAssessment(result.after),
    };
    return result.accepted > 0 ? c.json(payload, 201) : c.json(payload, 200);
  });

  app.openapi(listReadings, async (c) => {
    const { metricId } = c.req.valid('param');
    const { limit } = c.req.valid('query');
    const rows = await recentReadings(c.var.deps.sql, metricId, limit);
    return c.json(
      { readings: rows.map((r) => ({ at: iso(r.at), value: r.value, source: r.source, note: r.note })) },
      200,
    );
  });

  app.openapi(pushBatch, async (c) => {
    const { readings } = c.req.valid('json');
    const now = c.var.deps.now();
    const metrics = new Map((await listMetrics(c.var.deps.sql, c.var.organizationId)).map((m) => [m.id, m]));
    const rejected: { index: number; issues: Issue[] }[] = [];
    const valid: MetricReading[] = [];
    readings.forEach((raw, index) => {
      const row = BatchRowSchema.safeParse(raw);
      if (!row.success) return rejected.push({ index, issues: zodIssues(row.error) });
      const late = row.data.at && readingTimeProblem(row.data.at, now);
      if (late) return rejected.push({ index, issues: [{ path: 'at', message: late }] });
      if (!metrics.has(row.data.metricId)) {
        return rejected.push({
          index,
          issues: [{ path: 'metricId', message: 'is not a metric of this organization' }],
        });
      }
      valid.push({ ...row.data, at: row.data.at ?? now });
    });
    const { accepted, duplicates } = await ingestByMetric(c.var.deps, metrics, valid);
    return c.json({ accepted, duplicates, rejected }, 200);
  });

  return app;
}
