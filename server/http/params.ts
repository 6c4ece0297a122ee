// Ids in requests: one UUID schema for every kind of id, and the path parameters built from it. A bad id answers
// 400 naming the field and what it must be, the same from a route's validation and from a guard that looks the
// row up before the route validates.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { badRequest } from './errors.ts';

/** The id of `what` ("a review", "an organization"…): "must be a review id (UUID)" otherwise. */
export const uuidOf = (what: string) => z.uuid({ message: `must be ${what} id (UUID)` });

export const OrgParams = z.object({ orgId: uuidOf('an organization') });
export const ReviewParams = z.object({ reviewId: uuidOf('a review') });
export const ActionParams = z.object({ actionId: uuidOf('an action item') });
export const InitiativeParams = OrgParams.extend({ initiativeId: uuidOf('an initiative') });
export const DependencyParams = OrgParams.extend({ dependencyId: uuidOf('a dependency') });
export const MetricParams = z.object({ metricId: uuidOf('a metric') });

/** The id in path parameter `name` as `schema` accepts it, for guards that run before the route's validation. */
export function pathId(c: Context, name: string, schema: z.ZodType<string>): string {
  const result = schema.safeParse(c.req.param(name));
  if (!result.success)
    throw badRequest('Invalid request', [{ path: `param.${name}`, message: result.error.issues[0]!.message }]);
  return result.data;
}
