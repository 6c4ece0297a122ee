// The /sync/:reviewId websocket endpoint. Everything is decided before the upgrade: Origin (403), session (401),
// membership of the review's organization (403), the room role, and the room is loaded (503 if it cannot be).
// Only then does the socket open and join the room.
import { upgradeWebSocket, type WebSocketLike } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { createThrottle, type Throttle } from '../auth/throttle.ts';
import { z } from 'zod';
import type { WebSocket as WsSocket } from 'ws';
import { roomAccess } from '../domain/review-roles.ts';
import type { AppEnv } from '../http/context.ts';
import { ApiError, badRequest, forbidden, notFound, unauthorized } from '../http/errors.ts';
import { isAllowedOrigin } from '../http/security.ts';
import { findMembership } from '../store/organizations.ts';
import { findParticipantRole, findReview } from '../store/reviews.ts';
import type { WSEvents } from 'hono/ws';
import type { Connection, ConnectionInfo, Socket } from './room.ts';
import type { Reservation, Rooms } from './rooms.ts';

const reviewIdSchema = z.uuid();
const KEEPALIVE_MS = 30_000;

function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function syncRoutes() {
  const app = new Hono<AppEnv & { Variables: { reservation: Reservation; readOnly: boolean; ip: string } }>();
  // Per address: upgrade attempts per minute (counted before any lookup, so a flood never reaches the database)
  // and sockets open at once.
  let attempts: Throttle | undefined;
  const open = new Map<string, number>();
  app.get(
    '/:reviewId',
    async (c, next) => {
      const limits = c.var.deps.config.syncLimits;
      attempts ??= createThrottle({ maxAttempts: limits.upgradesPerMinutePerIp, windowMs: 60_000 });
      const ip = clientIp(c);
      const wait = attempts.retryAfter(ip);
      attempts.recordFailure(ip);
      if (wait > 0) {
        c.header('Retry-After', String(wait));
        throw new ApiError(429, 'Too many connection attempts from your address; try again shortly');
      }
      if ((open.get(ip) ?? 0) >= limits.connectionsPerIp) {
        c.header('Retry-After', '10');
        throw new ApiError(429, 'Too many open review connections from your address');
      }
      c.set('ip', ip);
      // Hono's csrf() skips GET, so the upgrade checks its Origin against the allowlist itself.
      if (!isAllowedOrigin(c.req.header('origin'), c.var.deps.config.allowedOrigins)) {
        throw forbidden('Websocket origin not allowed');
      }
      const user = c.var.user;
      if (!user) throw unauthorized();
      const reviewId = c.req.param('reviewId');
      if (!reviewIdSchema.safeParse(reviewId).success) {
        throw badRequest('Invalid request', [{ path: 'param.reviewId', message: 'must be a review id (UUID)' }]);
      }
      const { sql, rooms } = c.var.deps;
      const review = await findReview(sql, reviewId);
      if (!review) throw notFound('No such review');
      const membership = await findMembership(sql, review.organizationId, user.id);
      if (!membership) throw forbidden('You are not a member of this review’s organization');
      const access = roomAccess(await findParticipantRole(sql, reviewId, user.id), review.status);
      try {
        c.set('reservation', await rooms.reserve(reviewId));
      } catch (error) {
        c.var.logger.error('sync: room could not be loaded', { reviewId, error: String(error) });
        throw new ApiError(503, 'The review board could not be loaded; try again shortly');
      }
      c.set('readOnly', access.readOnly);
      c.set('organizationId', review.organizationId);
      await next();
    },
    upgradeWebSocket((c) => {
      // Everything the socket needs is taken from the request now, so the request's context is not kept alive
      // for as long as the socket stays open.
      const reviewId = c.req.param('reviewId')!;
      const { rooms } = c.var.deps;
      const { ip, reservation } = c.var;
      const user = c.var.user!;
      const info = {
        userId: user.id,
        userName: user.name,
        sessionId: c.var.session?.id ?? null,
        sessionExpiresAt: c.var.session?.expiresAt.getTime() ?? null,
        organizationId: c.var.organizationId ?? null,
        readOnly: c.var.readOnly,
        wantsAcks: c.req.query('acks') === '1',
      };
      return socketHandlers(reviewId, rooms, reservation, info, ip, open);
    }),
  );
  return app;
}

/** Socket events of one review-room connection (no reference to the upgrade request). */
function socketHandlers(
  reviewId: string,
  rooms: Rooms,
  reservation: Reservation,
  info: ConnectionInfo,
  ip: string,
  open: Map<string, number>,
): WSEvents<WebSocketLike> {
  let connection: Connection | undefined;
  let raw: WsSocket | undefined;
  let counted = false;
  return {
    onOpen(_event, ws) {
      open.set(ip, (open.get(ip) ?? 0) + 1);
      counted = true;
      // Hono's socket takes ArrayBuffer-backed bytes; ours always are (never a SharedArrayBuffer).
      connection = reservation.join(ws as unknown as Socket, info);
      raw = ws.raw as WsSocket | undefined;
      if (connection && raw) keepAlive(raw);
    },
    onMessage(event) {
      if (!connection) return;
      const data = event.data;
      rooms.receive(reviewId, connection, typeof data === 'string' ? data : new Uint8Array(data as ArrayBuffer));
    },
    onClose() {
      if (raw) alive.delete(raw);
      if (counted) {
        const left = (open.get(ip) ?? 1) - 1;
        if (left > 0) open.set(ip, left);
        else open.delete(ip);
        counted = false;
      }
      if (connection) rooms.leave(reviewId, connection);
    },
  };
}

// One keepalive timer for every socket: a peer that stops answering pings (a laptop lid closed) is dropped,
// which clears its presence.
const alive = new Map<WsSocket, boolean>();
let keepaliveTimer: NodeJS.Timeout | undefined;

function keepAlive(socket: WsSocket): void {
  alive.set(socket, true);
  socket.on('pong', () => {
    if (alive.has(socket)) alive.set(socket, true);
  });
  keepaliveTimer ??= setInterval(() => {
    for (const [peer, answered] of alive) {
      if (!answered) {
        alive.delete(peer);
        peer.terminate();
        continue;
      }
      alive.set(peer, false);
      peer.ping();
    }
    if (alive.size === 0) {
      clearInterval(keepaliveTimer);
      keepaliveTimer = undefined;
    }
  }, KEEPALIVE_MS);
  keepaliveTimer.unref();
}
