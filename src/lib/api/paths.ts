// Paths to the API and to pages, built from segments. Every interpolated value becomes exactly one encoded path
// segment, so no value (from the address bar, the server or a co-edited board) can add a segment, climb with `..`,
// or start a query or a fragment: `apiPath\`/reviews/${id}/close\`` can only ever name that one review's close.

type Segment = string | number;

/** A value that cannot be one path segment: empty, `.` or `..`, or not text. */
export class InvalidSegmentError extends Error {
  constructor(readonly value: unknown) {
    super('A link or request was built from a value that is not a valid path segment');
    this.name = 'InvalidSegmentError';
  }
}

export function encodeSegment(value: Segment): string {
  if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
    throw new InvalidSegmentError(value);
  }
  const text = String(value);
  // URLs resolve `.` and `..` whether or not they are percent-encoded, so they are refused, not encoded.
  if (text === '' || text === '.' || text === '..') throw new InvalidSegmentError(value);
  try {
    return encodeURIComponent(text);
  } catch {
    // A lone UTF-16 surrogate has no UTF-8 encoding.
    throw new InvalidSegmentError(value);
  }
}

function buildPath(prefix: string, strings: TemplateStringsArray, values: Segment[]): string {
  const literals = strings.raw;
  if (!literals[0]!.startsWith('/')) throw new TypeError('A path template must start with "/"');
  let path = prefix + literals[0]!;
  values.forEach((value, index) => {
    const before = literals[index]!;
    const after = literals[index + 1]!;
    if (!before.endsWith('/') || !(after === '' || after.startsWith('/'))) {
      throw new TypeError('A value in a path template must fill a whole segment, between "/" and "/"');
    }
    path += encodeSegment(value) + after;
  });
  if (literals.some((literal) => /[?#]|\/\/|\/\.\.?(?=\/|$)/.test(literal))) {
    throw new TypeError('A path template has no query, fragment, "//" or dot segment; add a query with withQuery');
  }
  return path;
}

/** A path under /api: apiPath`/reviews/${id}/close` is "/api/reviews/<id>/close". */
export function apiPath(strings: TemplateStringsArray, ...values: Segment[]): string {
  return buildPath('/api', strings, values);
}

/** A path to a page of the app, for href and goto: pagePath`/reviews/${id}/replay`. */
export function pagePath(strings: TemplateStringsArray, ...values: Segment[]): string {
  return buildPath('', strings, values);
}

/**
 * pagePath for an href built from shared data (a co-edited board, a notification): no link (undefined) when a value
 * is missing or cannot be a segment, rather than an error that would stop the page from rendering.
 */
export function pageHref(strings: TemplateStringsArray, ...values: (Segment | null | undefined)[]): string | undefined {
  if (values.some((value) => value === null || value === undefined)) return undefined;
  try {
    return buildPath('', strings, values as Segment[]);
  } catch (error) {
    if (error instanceof InvalidSegmentError) return undefined;
    throw error;
  }
}

export type QueryValue = string | number | boolean | null | undefined;

/** The path with a query string; null and undefined values are left out. */
export function withQuery(
  path: string,
  query: URLSearchParams | Record<string, QueryValue> | [string, string][],
): string {
  const params =
    query instanceof URLSearchParams || Array.isArray(query)
      ? new URLSearchParams(query)
      : new URLSearchParams(
          Object.entries(query).flatMap(([key, value]) => (value == null ? [] : [[key, String(value)]])),
        );
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
