// CSV import of readings: preview a file (headers, first rows, suggested mapping), start an import, follow its progress.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { parse as parseCsv } from 'csv-parse/sync';
import type { HonoRequest, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requireOrgOrToken } from './middleware/require-org-access.ts';
import { checkMapping, IMPORT_FIELDS, suggestMapping, type ImportMapping } from '../domain/import-mapping.ts';
import { countRows, type ImportJob } from '../services/readings-import.ts';
import { idsInOrganization } from '../store/objectives.ts';
import type { AppEnv } from './context.ts';
import { ApiError, badRequest, notFound, validationHook } from './errors.ts';
import { errors, iso, isoOrNull, jsonResponse } from './route-helpers.ts';
import { OrgParams, uuidOf } from './params.ts';

export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
const PREVIEW_ROWS = 10;

const csvBody = {
  required: true,
  content: {
    'text/csv': { schema: z.string().openapi({ example: 'metric,date,value\nFuel savings,2026-11-01,412000\n' }) },
  },
} as const;

const ImportSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(['running', 'done', 'failed']),
    totalRows: z.number().int(),
    processedRows: z.number().int(),
    accepted: z.number().int(),
    duplicates: z.number().int(),
    rejectedCount: z.number().int(),
    rejected: z.array(
      z.object({
        row: z.number().int(),
        issues: z.array(z.object({ path: z.string(), message: z.string() })),
        jump: z
          .object({
            metricId: z.uuid(),
            value: z.number(),
            at: z.iso.datetime(),
            source: z.string(),
            note: z.string().nullable(),
          })
          .optional()
          .openapi({
            description:
              'A row refused only as far outside the recent readings: its reading, to record anyway by sending it ' +
              'to the metric with confirmJump: true',
          }),
      }),
    ),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    error: z.string().nullable(),
  })
  .openapi('ReadingsImport');

const MappingQuery = z.object({
  metric: z.string().optional().openapi({ description: 'Column with the metric id or name' }),
  value: z.string().optional().openapi({ description: 'Column with the value' }),
  at: z.string().optional().openapi({ description: 'Column with the date or date-time (default: now)' }),
  source: z.string().optional(),
  note: z.string().optional(),
  metricId: uuidOf('a metric')
    .optional()
    .openapi({ description: 'The metric of every row, when the file has no metric column' }),
  defaultSource: z.string().trim().min(1).max(100).default('csv'),
});

/** Import files have their own size limit, checked after the access check. */
const importBodyLimit: MiddlewareHandler<AppEnv> = bodyLimit({
  maxSize: MAX_IMPORT_BYTES,
  onError: () => {
    throw new ApiError(
      413,
      `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it into several imports`,
    );
  },
});

const preview = createRoute({
  method: 'post',
  path: '/{orgId}/imports/preview',
  tags: ['imports'],
  summary: 'Headers, first rows and a suggested column mapping of a CSV file',
  middleware: [requireOrgOrToken, importBodyLimit] as const,
  request: { params: OrgParams, body: csvBody },
  responses: {
    200: jsonResponse(
      z.object({
        headers: z.array(z.string()),
        rows: z.array(z.array(z.string())),
        totalRows: z.number().int(),
        suggestedMapping: z.record(z.string(), z.string()),
      }),
      'Preview',
    ),
    ...errors(400, 401, 403),
  },
});

const start = createRoute({
  method: 'post',
  path: '/{orgId}/imports',
  tags: ['imports'],
  summary: 'Import readings from a CSV file in the background (session or API token)',
  description: 'The query maps columns to fields. Rows are idempotent on (metric, at, source), like single readings.',
  middleware: [requireOrgOrToken, importBodyLimit] as const,
  request: { params: OrgParams, query: MappingQuery, body: csvBody },
  responses: { 202: jsonResponse(z.object({ import: ImportSchema }), 'Started'), ...errors(400, 401, 403) },
});

const progress = createRoute({
  method: 'get',
  path: '/{orgId}/imports/{importId}',
  tags: ['imports'],
  summary: 'Progress and result of an import',
  middleware: requireOrgOrToken,
  request: { params: OrgParams.extend({ importId: uuidOf('an import') }) },
  responses: { 200: jsonResponse(z.object({ import: ImportSchema }), 'The import'), ...errors(400, 401, 403, 404) },
});

function toImport(job: ImportJob) {
  const { organizationId: _organizationId, startedAt, finishedAt, ...rest } = job;
  return { ...rest, startedAt: iso(startedAt), finishedAt: isoOrNull(finishedAt) };
}

/** The first lines of the file as records; enough to see its shape without parsing all of it. */
function head(csv: string): string[][] {
  let end = -1;
  for (let line = 0; line <= PREVIEW_ROWS; line++) {
    end = csv.indexOf('\n', end + 1);
    if (end === -1) break;
  }
  const text = end === -1 ? csv : csv.slice(0, end);
  try {
    return parseCsv(text, { skip_empty_lines: true, trim: true, relax_column_count: true, bom: true }) as string[][];
  } catch (error) {
    throw badRequest('This file is not readable as CSV', [
      { path: 'body', message: error instanceof Error ? error.message : 'malformed CSV' },
    ]);
  }
}

async function readCsv(request: HonoRequest): Promise<string> {
  const csv = await request.text();
  if (!csv.trim())
    throw badRequest('The file is empty', [{ path: 'body', message: 'must contain a header line and rows' }]);
  return csv;
}

export function importRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(preview, async (c) => {
    const csv = await readCsv(c.req);
    const [headers = [], ...rows] = head(csv);
    return c.json(
      { headers, rows, totalRows: countRows(csv), suggestedMapping: suggestMapping(headers) as Record<string, string> },
      200,
    );
  });

  app.openapi(start, async (c) => {
    const query = c.req.valid('query');
    const csv = await readCsv(c.req);
    const [headers = []] = head(csv);
    const mapping: ImportMapping = Object.fromEntries(IMPORT_FIELDS.filter((f) => query[f]).map((f) => [f, query[f]]));
    const problems = checkMapping(mapping, headers, query.metricId !== undefined);
    if (
      query.metricId &&
      !(await idsInOrganization(c.var.deps.sql, 'metrics', c.var.organizationId, [query.metricId])).size
    ) {
      problems.push({ path: 'metricId', message: 'is not a metric of this organization' });
    }
    if (problems.length) throw badRequest('The column mapping does not fit this file', problems);
    const job = await c.var.deps.imports.start({
      organizationId: c.var.organizationId,
      csv,
      mapping,
      defaultMetricId: query.metricId ?? null,
      defaultSource: query.defaultSource,
    });
    return c.json({ import: toImport(job) }, 202);
  });

  app.openapi(progress, async (c) => {
    const job = await c.var.deps.imports.find(c.var.organizationId, c.req.valid('param').importId);
    if (!job) throw notFound('No such import in this organization (finished imports are kept for a while)');
    return c.json({ import: toImport(job) }, 200);
  });

  return app;
}
