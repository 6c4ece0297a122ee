// The one error shape of the API, `{ error, issues }`, and the handlers that map every failure to it: a database
// that does not answer in time is a 503 with Retry-After, anything unexpected a 500 without details.
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { DATABASE_RETRY_AFTER_S, DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '../db/unavailable.ts';
import { controlCharacterProblem } from '../domain/plausible-input.ts';
import { errorFields } from '../logger.ts';
import type { AppEnv } from './context.ts';

export interface Issue {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: string;
  /** A machine-readable kind, where a client is expected to act on it (e.g. `reading_jump`: confirm and resend). */
  code?: string;
  issues: Issue[];
}

/** An expected failure with a status a client can act on. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    message: string,
    readonly issues: Issue[] = [],
    readonly headers: Record<string, string> = {},
    readonly code?: string,
  ) {
    super(status, { message });
  }
}

export const badRequest = (message: string, issues: Issue[] = []) => new ApiError(400, message, issues);
export const unauthorized = (message = 'Sign in to continue') => new ApiError(401, message);
export const forbidden = (message = 'You do not have access to this') => new ApiError(403, message);
export const notFound = (message = 'Not found') => new ApiError(404, message);
export const conflict = (message: string, issues: Issue[] = []) => new ApiError(409, message, issues);

export function zodIssues(error: ZodError, prefix?: string): Issue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
  }));
}

/**
 * The first string in validated input with a control character no text allows, as an issue. The shared string
 * schemas (schemas.ts) refuse these with each field's own rule; this catches a schema written without them.
 */
function controlCharacterIssue(value: unknown, path: string[]): Issue | undefined {
  if (typeof value === 'string') {
    const message = controlCharacterProblem(value, { multiline: true });
    return message ? { path: path.join('.') || '(root)', message } : undefined;
  }
  if (value === null || typeof value !== 'object' || value instanceof Date) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const issue = controlCharacterIssue(item, [...path, key]);
    if (issue) return issue;
  }
  return undefined;
}

/** Used as OpenAPIHono's defaultHook: every schema failure becomes a 400 with field paths. */
export function validationHook(
  result: { success: true; data?: unknown; target?: string } | { success: false; error: ZodError; target: string },
  c: Context<AppEnv>,
) {
  const prefix = result.target === 'json' ? undefined : result.target;
  if (result.success) {
    const issue = result.target === 'header' ? undefined : controlCharacterIssue(result.data, prefix ? [prefix] : []);
    if (issue) return c.json<ErrorBody>({ error: 'Invalid request', issues: [issue] }, 400);
    return;
  }
  return c.json<ErrorBody>({ error: 'Invalid request', issues: zodIssues(result.error, prefix) }, 400);
}

export const onError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof ApiError) {
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    const code = error.code === undefined ? {} : { code: error.code };
    return c.json<ErrorBody>({ error: error.message, ...code, issues: error.issues }, error.status);
  }
  if (error instanceof HTTPException) {
    // Hono's own expected failures, e.g. malformed JSON in a request body.
    const message = error.status === 400 ? 'Malformed request body: expected JSON' : error.message;
    return c.json<ErrorBody>({ error: message || 'Request failed', issues: [] }, error.status);
  }
  if (isDatabaseUnavailable(error)) {
    // PostgreSQL is frozen, locked up or unreachable: the client may retry; this is no bug of ours to trace.
    c.var.logger.warn('database not answering', {
      requestId: c.var.requestId,
      error: error.message,
      code: String((error as { code?: unknown }).code ?? ''),
    });
    c.header('Retry-After', String(DATABASE_RETRY_AFTER_S));
    return c.json<ErrorBody>({ error: DATABASE_UNAVAILABLE_MESSAGE, issues: [] }, 503);
  }
  c.var.logger.error('unhandled error', { requestId: c.var.requestId, ...errorFields(error) });
  return c.json<ErrorBody>({ error: `Something went wrong on our side (request ${c.var.requestId})`, issues: [] }, 500);
};
