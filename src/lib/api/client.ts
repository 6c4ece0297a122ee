// The one way the front end talks to the server: same-origin JSON requests, errors as ApiError.
import { INVALID_LINK } from './link-values.ts';
import { InvalidSegmentError } from './paths.ts';

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

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
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
  return data as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown = {}, headers?: Record<string, string>) =>
    request<T>('POST', path, body, headers),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: (path: string) => request<void>('DELETE', path),
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
