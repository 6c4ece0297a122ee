// The one way the front end talks to the server: same-origin JSON requests typed by the server's OpenAPI document
// (schema.d.ts), errors as ApiError. `api.get('/api/reviews/{reviewId}', { path: { reviewId } })` accepts only a
// path and method the server has, the parameters and body that operation takes, and resolves to its response's type.
// A body is JSON (`body`), or a CSV file's text (`csv`) for the operations that take `text/csv`.
// Every path parameter becomes exactly one encoded segment (encodeSegment), so no value can add or climb a segment.
import { INVALID_LINK } from './link-values.ts';
import { encodeSegment, InvalidSegmentError, withQuery, type QueryValue } from './paths.ts';
import type { paths } from './schema';

export interface Issue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: Issue[] = [],
    readonly retryAfterSeconds?: number,
    /** The server's machine-readable kind of refusal, when it sends one (e.g. `reading_jump`). */
    readonly code?: string,
  ) {
    super(message);
  }

  /** The message for one form field, if the server named it. */
  fieldError(field: string): string | undefined {
    return this.issues.find((issue) => issue.path === field)?.message;
  }
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The API paths that have an operation for `method`. */
export type ApiPath<M extends Method> = {
  [P in keyof paths]: paths[P] extends Record<M, object> ? P : never;
}[keyof paths];

type Operation<P extends keyof paths, M extends Method> = paths[P] extends Record<M, infer O> ? O : never;

type PathInit<O> = O extends { parameters: { path: infer V } } ? { path: V } : unknown;
type QueryInit<O> = O extends { parameters: { query: infer V } }
  ? { query: V }
  : O extends { parameters: { query?: infer V } }
    ? [NonNullable<V>] extends [never]
      ? unknown
      : { query?: NonNullable<V> }
    : unknown;
type JsonBody<R> = NonNullable<R> extends { content: { 'application/json': infer B } } ? B : never;
type CsvBody<R> = NonNullable<R> extends { content: { 'text/csv': infer B } } ? B : never;
type BodyInit<O> = O extends { requestBody: infer R }
  ? [CsvBody<R>] extends [never]
    ? { body: JsonBody<R> }
    : { csv: CsvBody<R> }
  : O extends { requestBody?: infer R }
    ? [JsonBody<R>] extends [never]
      ? unknown
      : { body?: JsonBody<R> }
    : unknown;

/** What one operation's request takes besides its path: path parameters, query, JSON or CSV body, extra headers. */
export type RequestInit<O> = PathInit<O> & QueryInit<O> & BodyInit<O> & { headers?: Record<string, string> };

type Success = 200 | 201 | 202 | 204;
type Responses<O> = O extends { responses: infer R } ? R : never;
/** What an operation resolves to: the JSON of its success responses (undefined for one without a body). */
export type ResponseData<O> = {
  [C in keyof Responses<O>]: C extends Success
    ? Responses<O>[C] extends { content: { 'application/json': infer D } }
      ? D
      : undefined
    : never;
}[keyof Responses<O>];

/** The response type of `method` on `path`: `ApiResponse<'/api/me', 'get'>`. */
export type ApiResponse<P extends ApiPath<M>, M extends Method> = ResponseData<Operation<P, M>>;
/** The JSON body `method` on `path` takes: `ApiBody<'/api/orgs', 'post'>`. */
export type ApiBody<P extends ApiPath<M>, M extends Method> = JsonBody<
  Operation<P, M> extends { requestBody?: infer R } ? R : never
>;

/** The query `method` on `path` takes: `ApiQuery<'/api/orgs/{orgId}/actions', 'get'>`. */
export type ApiQuery<P extends ApiPath<M>, M extends Method> = NonNullable<
  Operation<P, M> extends { parameters: { query?: infer Q } } ? Q : never
>;

/** The init argument, required when the operation has required parts (path parameters, a required body). */
type InitArgs<I> = object extends I ? [init?: I] : [init: I];

interface LooseInit {
  path?: Record<string, string | number>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  csv?: string;
  headers?: Record<string, string>;
}

/** A request body as sent: its content type and text. */
interface Payload {
  type: 'application/json' | 'text/csv';
  text: string;
}

/** The template with each `{name}` replaced by its value as one encoded segment. */
function fillPath(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (!Object.hasOwn(values, name)) throw new InvalidSegmentError(undefined);
    return encodeSegment(values[name]!);
  });
}

/** Sends one request to a built URL: its JSON on success, undefined for 204, ApiError for any failure. */
async function sendRequest(method: string, url: string, payload?: Payload, headers: Record<string, string> = {}) {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: { ...(payload ? { 'content-type': payload.type } : {}), ...headers },
      body: payload?.text,
    });
  } catch {
    throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.');
  }
  if (response.status === 204) return undefined;
  const data = await response.json().catch(() => undefined);
  if (!response.ok) {
    const retryAfter = Number(response.headers.get('retry-after')) || undefined;
    throw new ApiError(
      response.status,
      data?.error ?? `Request failed (${response.status})`,
      data?.issues ?? [],
      retryAfter,
      typeof data?.code === 'string' ? data.code : undefined,
    );
  }
  return data;
}

// Async, so a value that cannot be a segment rejects the promise like any other failure rather than throwing.
async function request(method: Method, template: string, init: LooseInit = {}): Promise<unknown> {
  const url = withQuery(fillPath(template, init.path), init.query ?? {});
  const payload: Payload | undefined =
    init.csv !== undefined
      ? { type: 'text/csv', text: init.csv }
      : method === 'get' || method === 'delete'
        ? undefined
        : { type: 'application/json', text: JSON.stringify(init.body ?? {}) };
  return sendRequest(method.toUpperCase(), url, payload, init.headers);
}

function method<M extends Method>(name: M) {
  return <P extends ApiPath<M>>(
    path: P,
    ...[init]: InitArgs<RequestInit<Operation<P, M>>>
  ): Promise<ApiResponse<P, M>> => request(name, path, init as LooseInit) as Promise<ApiResponse<P, M>>;
}

export const api = {
  get: method('get'),
  post: method('post'),
  put: method('put'),
  patch: method('patch'),
  delete: method('delete'),
};

/** A message a person can act on, for any failure. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 429 && error.retryAfterSeconds) {
      return `Too many attempts. Try again in ${error.retryAfterSeconds} s.`;
    }
    return error.message;
  }
  if (error instanceof InvalidSegmentError) return INVALID_LINK;
  return 'Something went wrong. Please try again.';
}
