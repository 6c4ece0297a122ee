// Live updates for pages as server-sent events: the organization's domain events, as they happen. Each stream is
// registered in the LiveStreams of the process, which ends it (a last `closed` event, then the end of the
// response) when its session signs out or expires or its user leaves the organization.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { requireMember } from './middleware/require-member.ts';
import type { DomainEvent } from '../domain/events.ts';
import type { AppEnv } from './context.ts';
import { validationHook } from './errors.ts';
import { errors } from './route-helpers.ts';
import { OrgParams } from './params.ts';

/** Proxies and browsers drop idle streams; a comment line every so often keeps this one open. */
const KEEPALIVE_MS = 20_000;
/** How long a stream the server ends may take to send its last event before its connection is cut. */
const END_GRACE_MS = 1_000;

const events = createRoute({
  method: 'get',
  path: '/{orgId}/events',
  tags: ['portfolio'],
  summary:
    'Server-sent events of this organization: metric.updated, metric.slipped, metric.recovered, review.started, ' +
    'review.closed and the rest of its domain events; a last `closed` ' +
    'event (with the reason) when the server ends the stream: signed out, session expired, no longer a member',
  middleware: requireMember,
  request: { params: OrgParams },
  responses: { 200: { description: 'An event stream (text/event-stream)' }, ...errors(400, 401, 403) },
});

export function liveRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(events, (c) => {
    const organizationId = c.var.membership.id;
    const session = c.var.session;
    const { liveStreams } = c.var.deps;
    return streamSSE(c, async (stream) => {
      const queue: DomainEvent[] = [];
      let wake: (() => void) | undefined;
      /** Set when the server ends the stream (signed out, session expired, no longer a member). */
      let endedBecause: string | undefined;
      let cut: NodeJS.Timeout | undefined;
      const unsubscribe = c.var.deps.events.subscribeEverywhere((event) => {
        if (event.organizationId !== organizationId) return;
        queue.push(event);
        wake?.();
      });
      const unregister = liveStreams.open(
        {
          sessionId: session.id,
          userId: session.userId,
          organizationId,
          sessionExpiresAt: session.expiresAt.getTime(),
        },
        (reason) => {
          endedBecause = reason;
          unsubscribe();
          wake?.();
          // A client that does not read would hold the last write forever: the stream is cut regardless.
          cut = setTimeout(() => stream.abort(), END_GRACE_MS).unref();
        },
      );
      stream.onAbort(() => {
        unsubscribe();
        unregister();
        wake?.();
      });
      try {
        await stream.writeSSE({ event: 'ready', data: '{}' });
        while (!stream.aborted && endedBecause === undefined) {
          const event = queue.shift();
          if (event) {
            await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
            continue;
          }
          const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), KEEPALIVE_MS).unref());
          const arrival = new Promise<'event'>((resolve) => (wake = () => resolve('event')));
          if ((await Promise.race([timer, arrival])) === 'timeout' && !stream.aborted && endedBecause === undefined)
            await stream.write(': keepalive\n\n');
          wake = undefined;
        }
        // Whatever was queued before the end is dropped: it is no longer this session's to see.
        if (endedBecause !== undefined && !stream.aborted)
          await stream.writeSSE({ event: 'closed', data: JSON.stringify({ reason: endedBecause }) });
      } finally {
        clearTimeout(cut);
        unsubscribe();
        unregister();
      }
    });
  });
  return app;
}
