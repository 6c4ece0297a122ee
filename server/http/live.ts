// Live updates for pages as server-sent events: the organization's domain events, as they happen.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { requireMember } from '../auth/middleware.ts';
import type { DomainEvent } from '../events.ts';
import type { AppEnv } from './context.ts';
import { validationHook } from './errors.ts';
import { errors } from './route-helpers.ts';
import { OrgParams } from './schemas.ts';

/** Proxies and browsers drop idle streams; a comment line every so often keeps this one open. */
const KEEPALIVE_MS = 20_000;

const events = createRoute({
  method: 'get',
  path: '/{orgId}/events',
  tags: ['portfolio'],
  summary: 'Server-sent events: metric.updated, metric.slipped, metric.recovered of this organization',
  middleware: requireMember,
  request: { params: OrgParams },
  responses: { 200: { description: 'An event stream (text/event-stream)' }, ...errors(400, 401, 403) },
});

export function liveRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(events, (c) => {
    const organizationId = c.var.membership.id;
    return streamSSE(c, async (stream) => {
      const queue: DomainEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = c.var.deps.events.subscribeEverywhere((event) => {
        if (event.organizationId !== organizationId) return;
        queue.push(event);
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      try {
        await stream.writeSSE({ event: 'ready', data: '{}' });
        while (!stream.aborted) {
          const event = queue.shift();
          if (event) {
            await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
            continue;
          }
          const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), KEEPALIVE_MS).unref());
          const arrival = new Promise<'event'>((resolve) => (wake = () => resolve('event')));
          if ((await Promise.race([timer, arrival])) === 'timeout' && !stream.aborted)
            await stream.write(': keepalive\n\n');
          wake = undefined;
        }
      } finally {
        unsubscribe();
      }
    });
  });
  return app;
}
