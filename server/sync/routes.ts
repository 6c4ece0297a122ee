// The /sync/:reviewId websocket endpoint: the upgrade is authorized here; rooms are not built yet, so an
// authorized connection is told that no such review exists and closed.
import { upgradeWebSocket } from '@hono/node-server';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/context.ts';
import { badRequest, forbidden, unauthorized } from '../http/errors.ts';
import { isAllowedOrigin } from '../http/security.ts';
import { CloseCode } from './protocol.ts';

const reviewIdSchema = z.uuid();

export function syncRoutes() {
  const app = new Hono<AppEnv>();
  app.get(
    '/:reviewId',
    async (c, next) => {
      // Hono's csrf() skips GET, so the upgrade checks its Origin against the allowlist itself.
      if (!isAllowedOrigin(c.req.header('origin'), c.var.deps.config.allowedOrigins)) {
        throw forbidden('Websocket origin not allowed');
      }
      if (!c.var.user) throw unauthorized();
      if (!reviewIdSchema.safeParse(c.req.param('reviewId')).success) {
        throw badRequest('Invalid request', [{ path: 'param.reviewId', message: 'must be a review id (UUID)' }]);
      }
      await next();
    },
    upgradeWebSocket(() => ({
      onOpen(_event, ws) {
        ws.close(CloseCode.notFound, 'Review not found');
      },
    })),
  );
  return app;
}
