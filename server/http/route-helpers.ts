// Small builders for OpenAPI route definitions, so each route states only what is its own.
import type { z } from '@hono/zod-openapi';
import { ErrorSchema } from './schemas.ts';

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } } as const;
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}

const errorDescriptions = {
  400: 'Invalid input: the issues name each field and what is wrong',
  401: 'Not signed in, or the credentials are wrong',
  403: 'Signed in, but not allowed',
  404: 'No such resource in this organization',
  409: 'Conflicts with the current state',
  410: 'No longer usable',
  422: 'Understood, but refused: the message says why',
  429: 'Too many attempts; see Retry-After',
} as const;

export function errors<const S extends keyof typeof errorDescriptions>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, jsonResponse(ErrorSchema, errorDescriptions[status])]),
  ) as { [K in S]: ReturnType<typeof jsonResponse<typeof ErrorSchema>> };
}

/**
 * For routes that data sources may call too. Typed as OpenAPI's list of requirements: a literal of two shapes
 * would stop createRoute from inferring the route, and with it the variables its guards set.
 */
export const sessionOrToken: Record<string, string[]>[] = [{ Session: [] }, { Bearer: [] }];

export const noContent = { 204: { description: 'Done' } } as const;

export const iso = (date: Date) => date.toISOString();
export const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);
