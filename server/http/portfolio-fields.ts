// Field schemas the portfolio's request bodies share: instants in the shared date window, finite numbers, trimmed
// texts with a length limit, and ids in a body.
import { z } from '@hono/zod-openapi';
import { dateProblem } from '../domain/plausible-input.ts';
import { multiLine, singleLine } from './schemas.ts';
import { uuidOf } from './params.ts';

/** An instant: an ISO date-time with offset, or a date (taken as midnight UTC), in the window every date shares. */
export const Instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: (issue) =>
      issue.input === undefined || issue.input === '' ? 'is required' : 'must be an ISO date (2026-11-24) or date-time',
  })
  .transform((value) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value))
  .superRefine((date, ctx) => {
    const problem = dateProblem(date);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .openapi({ type: 'string', example: '2026-11-24T09:30:00Z' });

const numberError = (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : 'must be a number');
export const finiteNumber = z.number({ error: numberError }).refine(Number.isFinite, 'must be a finite number');
export const text = (max: number) => singleLine().trim().max(max, `must be at most ${max} characters`);
export const requiredText = (max: number) => text(max).min(1, 'is required');
export const longText = (max: number) => multiLine().trim().max(max, `must be at most ${max} characters`);
export const id = (what: string) => singleLine().min(1, 'is required').pipe(uuidOf(what));
