// Request bodies made from the app's OpenAPI document: a plausible body per JSON operation (ids of things
// that exist, picked by field name), and its hostile variants, one leaf at a time.

export interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  components: { schemas: Record<string, JsonSchema> };
}

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  example?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

export interface JsonOperation {
  method: string;
  path: string;
  schema: JsonSchema;
}

/** What a body field holds: a date-like field must refuse an implausible date, other text need not. */
export type LeafKind = 'date' | 'text' | 'number' | 'boolean' | 'other';

export interface Leaf {
  path: (string | number)[];
  kind: LeafKind;
}

export function jsonOperations(document: OpenApiDocument): JsonOperation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).flatMap(([method, operation]) => {
      const schema = operation.requestBody?.content['application/json']?.schema;
      return schema ? [{ method: method.toUpperCase(), path, schema }] : [];
    }),
  );
}

const DAY = 86_400_000;
/** Date fields by name, each with a plausible distance from now: starts behind, targets and due dates ahead. */
const DATE_OFFSETS: [RegExp, number][] = [
  [/^(at|startAt)$/, -30 * DAY],
  [/^(targetAt|dueDate|by|neededBy)$/, 90 * DAY],
  [/At$/, DAY],
];
const DATE_ONLY = /^(dueDate|by|neededBy)$/;

export class BodyMaker {
  readonly leaves = new Map<string, LeafKind>();

  constructor(
    private readonly document: OpenApiDocument,
    /** An existing id for a field name (ownerId, metricIds…), or undefined for a fresh UUID. */
    private readonly idFor: (key: string) => string | undefined,
    private readonly now: Date,
  ) {}

  /** A plausible body, every optional field included so that each can be varied. */
  make(schema: JsonSchema): unknown {
    this.leaves.clear();
    return this.#sample(schema, '', []);
  }

  #resolve(schema: JsonSchema): JsonSchema {
    if (!schema.$ref) return schema;
    return this.#resolve(this.document.components.schemas[schema.$ref.replace('#/components/schemas/', '')]!);
  }

  #sample(raw: JsonSchema, key: string, path: (string | number)[]): unknown {
    const schema = this.#resolve(raw);
    const options = schema.anyOf ?? schema.oneOf;
    if (options) {
      const chosen = options.find((option) => this.#resolve(option).type !== 'null') ?? options[0]!;
      return this.#sample(chosen, key, path);
    }
    if (schema.const !== undefined) return this.#leaf(path, 'other', schema.const);
    if (schema.enum) return this.#leaf(path, 'other', schema.enum[0]);
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const type = types.find((t) => t !== 'null');
    if (type === 'object' || schema.properties) {
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([name, property]) => [
          name,
          this.#sample(property, name, [...path, name]),
        ]),
      );
    }
    if (type === 'array') return [this.#sample(schema.items ?? {}, key.replace(/s$/, ''), [...path, 0])];
    if (type === 'boolean') return this.#leaf(path, 'boolean', true);
    if (type === 'number' || type === 'integer') return this.#leaf(path, 'number', this.#number(schema));
    if (type === 'string') return this.#string(schema, key, path);
    return this.#leaf(path, 'other', null);
  }

  #number(schema: JsonSchema): number {
    if (schema.maximum !== undefined && schema.maximum <= 1) return 0.5;
    return Math.max(1, schema.minimum ?? 1);
  }

  #string(schema: JsonSchema, key: string, path: (string | number)[]): string {
    const id = this.idFor(key);
    if (id !== undefined) return this.#leaf(path, 'other', id);
    if (schema.format === 'uuid' || key === 'id' || /Ids?$/.test(key))
      return this.#leaf(path, 'other', crypto.randomUUID());
    if (key === 'email' || schema.format === 'email') return this.#leaf(path, 'text', PROBE_EMAIL);
    if (key === 'url' || schema.format === 'uri') return this.#leaf(path, 'text', 'https://example.com/hooks/probe');
    if (key === 'currency') return this.#leaf(path, 'other', 'EUR');
    if (key === 'password') return this.#leaf(path, 'text', 'correct horse battery staple');
    const offset = DATE_OFFSETS.find(([pattern]) => pattern.test(key))?.[1];
    if (offset !== undefined || schema.format === 'date' || schema.format === 'date-time') {
      const at = new Date(this.now.getTime() + (offset ?? DAY)).toISOString();
      return this.#leaf(path, 'date', DATE_ONLY.test(key) || schema.format === 'date' ? at.slice(0, 10) : at);
    }
    return this.#leaf(path, 'text', `Probe ${key}`);
  }

  #leaf<T>(path: (string | number)[], kind: LeafKind, value: T): T {
    this.leaves.set(JSON.stringify(path), kind);
    return value;
  }
}

const PROBE_EMAIL = 'probe@example.com';

/** A copy whose sample email and client-chosen id are new, so that a sign-up or a creation is not a repeat. */
export function freshened(body: unknown): unknown {
  if (typeof body === 'string') return body === PROBE_EMAIL ? `probe.${crypto.randomUUID()}@example.com` : body;
  if (Array.isArray(body)) return body.map(freshened);
  if (body === null || typeof body !== 'object') return body;
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [
      key,
      key === 'id' && typeof value === 'string' ? crypto.randomUUID() : freshened(value),
    ]),
  );
}

/** The body with the value at `path` replaced. */
export function withValue(body: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(body)) return body.map((item, index) => (index === head ? withValue(item, rest, value) : item));
  const object = body as Record<string, unknown>;
  return { ...object, [head!]: withValue(object[head!], rest, value) };
}

export const EXTREME_DATES = ['0000-01-01', '+275760-09-13', '9999-12-31', '9999-12-31T23:59:59Z'];
export const EXTREME_NUMBERS = [1e308, -1e308, -0, 1.5, 2 ** 31, 2 ** 53 + 2];
export const LONG_TEXT = 'x'.repeat(100_000);

/** The hostile values to try at a leaf of this kind, each with what a correct answer must be. */
export function variantsFor(kind: LeafKind, sample: unknown): { value: unknown; mustName: boolean }[] {
  if (kind === 'number') return EXTREME_NUMBERS.map((value) => ({ value, mustName: false }));
  if (kind === 'boolean') return [];
  const nul = { value: `${typeof sample === 'string' ? sample : 'x'}\u0000`, mustName: true };
  return [
    nul,
    { value: 'a\u0007b', mustName: true },
    { value: LONG_TEXT, mustName: false },
    ...EXTREME_DATES.map((value) => ({ value, mustName: kind === 'date' })),
  ];
}
