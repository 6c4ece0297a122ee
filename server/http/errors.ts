// The one error shape of the API, `{ error, issues }`, and the handlers that map every failure to it.
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { errorFields } from '../logger.ts';
import type { AppEnv } from './context.ts';

export interface Issue {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: string;
  issues: Issue[];
}

/** An expected failure with a status a client can act on. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    message: string,
    readonly issues: Issue[] = [],
    readonly headers: Record<string, string> = {},
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

/** Used as OpenAPIHono's defaultHook: every schema failure becomes a 400 with field paths. */
export function validationHook(
  result: { success: true } | { success: false; error: ZodError; target: string },
  c: Context<AppEnv>,
) {
  if (result.success) return;
  const prefix = result.target === 'json' ? undefined : result.target;
  return c.json<ErrorBody>({ error: 'Invalid request', issues: zodIssues(result.error, prefix) }, 400);
}

export const onError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof ApiError) {
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    return c.json<ErrorBody>({ error: error.message, issues: error.issues }, error.status);
  }
  if (error instanceof HTTPException) {
    // Hono's own expected failures, e.g. malformed JSON in a request body.
    const message = error.status === 400 ? 'Malformed request body: expected JSON' : error.message;
    return c.json<ErrorBody>({ error: message || 'Request failed', issues: [] }, error.status);
  }
  c.var.logger.error('unhandled error', { requestId: c.var.requestId, ...errorFields(error) });
  return c.json<ErrorBody>({ error: `Something went wrong on our side (request ${c.var.requestId})`, issues: [] }, 500);
};
