// Request and response schemas of objectives and their key results.
import { z } from '@hono/zod-openapi';
import { id, longText, requiredText } from './portfolio-fields.ts';
import { patchOf } from './schemas.ts';

export const ObjectiveBodySchema = z
  .object({ title: requiredText(200), description: longText(2000).default(''), ownerId: id('a user') })
  .openapi('ObjectiveInput');

export const ObjectivePatchSchema = patchOf(ObjectiveBodySchema).openapi('ObjectivePatch');

export const ObjectiveSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string(),
    owner: z.object({ id: z.uuid(), name: z.string() }),
  })
  .openapi('Objective');

export const KeyResultBodySchema = z
  .object({
    objectiveId: id('an objective'),
    title: requiredText(200),
    metricId: id('a metric').nullable().default(null),
  })
  .openapi('KeyResultInput');

export const KeyResultPatchSchema = patchOf(KeyResultBodySchema).openapi('KeyResultPatch');

export const KeyResultSchema = z
  .object({ id: z.uuid(), objectiveId: z.uuid(), title: z.string(), metricId: z.uuid().nullable() })
  .openapi('KeyResult');
