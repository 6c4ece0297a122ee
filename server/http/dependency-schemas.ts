// Request and response shapes of dependencies and the dependency map.
import { z } from '@hono/zod-openapi';
import { calendarDate, multiLine } from './schemas.ts';
import { id } from './portfolio-fields.ts';
import { StatusSchema } from './status-schemas.ts';

const note = multiLine().trim().max(1000, { message: 'must be at most 1000 characters' });
const neededBy = calendarDate().nullable();

export const CreateDependencySchema = z
  .object({
    dependentId: id('an initiative').openapi({ description: 'The initiative that depends (A)' }),
    dependencyId: id('an initiative').openapi({ description: 'The initiative it depends on (B)' }),
    note: note.default(''),
    neededBy: neededBy.default(null),
    requesterId: id('a member').optional().openapi({ description: "Defaults to A's owner" }),
    providerId: id('a member').optional().openapi({ description: "Defaults to B's owner" }),
  })
  .refine((body) => body.dependentId !== body.dependencyId, {
    path: ['dependencyId'],
    message: 'must be another initiative: an initiative cannot depend on itself',
  })
  .openapi('CreateDependency');

export const UpdateDependencySchema = z
  .object({
    note: note.optional(),
    neededBy: neededBy.optional(),
    requesterId: id('a member').optional(),
    providerId: id('a member').optional(),
  })
  .openapi('UpdateDependency');

const Person = z.object({ id: z.uuid(), name: z.string() });

export const DependencySchema = z
  .object({
    id: z.uuid(),
    dependentId: z.uuid(),
    dependencyId: z.uuid(),
    note: z.string(),
    neededBy: z.string().nullable(),
    requester: Person,
    provider: Person,
    /** ok, at risk / off track (the upstream slips), or late (forecast after the needed-by date). */
    risk: z.enum(['ok', 'at risk', 'off track', 'late']),
    daysLate: z.number().nullable(),
  })
  .openapi('Dependency');

export const MapNodeSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    team: z.string(),
    owner: Person,
    keyResultId: z.uuid().nullable(),
    objectiveId: z.uuid().nullable(),
    status: StatusSchema,
    delivery: StatusSchema,
    value: StatusSchema,
    moneyAtStake: z.number(),
    moneyAtRisk: z.number(),
    currency: z.string().nullable(),
    metricIds: z.array(z.uuid()),
    forecastAt: z.string().nullable(),
    /**
     * The worst status of what it waits for, directly or through others (null when nothing upstream slips), and
     * the shortest chain carrying it. Shown beside its own status, never mixed into it.
     */
    inheritedRisk: z
      .object({
        status: z.enum(['at risk', 'off track']),
        via: z.array(z.object({ id: z.uuid(), title: z.string() })).openapi({
          description: 'From the slipping initiative to the one it directly depends on; the node itself excluded',
        }),
      })
      .nullable(),
  })
  .openapi('MapNode');

export const DependencyMapSchema = z
  .object({
    nodes: z.array(MapNodeSchema),
    edges: z.array(DependencySchema),
    keyResults: z.array(
      z.object({
        keyResultId: z.uuid(),
        title: z.string(),
        /** The critical chain towards the key result, from the furthest upstream initiative to the one serving it. */
        initiativeIds: z.array(z.uuid()),
      }),
    ),
  })
  .openapi('DependencyMap');
