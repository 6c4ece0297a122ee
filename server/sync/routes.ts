// The /sync/:reviewId websocket endpoint. Everything is decided before the upgrade: Origin (403), session (401),
// membership of the review's organization (403), the room role, and the room is loaded (503 if it cannot be).
// Only then does the socket open (upgrade.ts) and join the room.
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
import type { ConnectionInfo } from './room.ts';
import type { Reservation, Rooms } from './rooms.ts';
import { UPGRADE, type UpgradeBindings } from './upgrade.ts';

const reviewIdSchema = z.uuid();
const KEEPALIVE_MS = 30_000;

function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Set only on requests that arrive as websocket upgrades (upgrade.ts). */
const upgradeOf = (c: Context) => (c.env as Partial<UpgradeBindings> | undefined)?.[UPGRADE];

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
      // Rights are answered to any request (a client may ask without upgrading); only an upgrade reserves the room.
      if (!upgradeOf(c)) throw new ApiError(426, 'This address takes websocket connections only');
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
    (c) => {
      // Everything the socket needs is taken from the request now: the open socket keeps nothing of it.
      const info: ConnectionInfo = {
        userId: c.var.user!.id,
        userName: c.var.user!.name,
        sessionId: c.var.session?.id ?? null,
        sessionExpiresAt: c.var.session?.expiresAt.getTime() ?? null,
        organizationId: c.var.organizationId ?? null,
        readOnly: c.var.readOnly,
        wantsAcks: c.req.query('acks') === '1',
      };
      upgradeOf(c)!.accept(
        openSocket.bind(null, {
          reviewId: c.req.param('reviewId'),
          rooms: c.var.deps.rooms,
          reservation: c.var.reservation,
          info,
          ip: c.var.ip,
          open,
        }),
      );
      return c.body(null, 200);
    },
  );
  return app;
}

const ignoreSocketError = () => {};

interface Opening {
  reviewId: string;
  rooms: Rooms;
  reservation: Reservation;
  info: ConnectionInfo;
  ip: string;
  /** Sockets open per address. */
  open: Map<string, number>;
}

/** Joins the upgraded socket to its room and wires its events (no reference to the upgrade request). */
function openSocket({ reviewId, rooms, reservation, info, ip, open }: Opening, socket: WsSocket): void {
  // ws reports a protocol violation (an oversized frame: it closes with 1009 itself) as an 'error' event, which
  // without a listener would throw out of the process; the 'close' that follows cleans up.
  socket.on('error', ignoreSocketError);
  open.set(ip, (open.get(ip) ?? 0) + 1);
  const connection = reservation.join(socket, info);
  socket.on('close', () => {
    alive.delete(socket);
    const left = (open.get(ip) ?? 1) - 1;
    if (left > 0) open.set(ip, left);
    else open.delete(ip);
    if (connection) rooms.leave(reviewId, connection);
  });
  if (!connection) return;
  // ws hands over each message as one Buffer (its default binary type).
  socket.on('message', (data: Buffer, isBinary: boolean) =>
    rooms.receive(reviewId, connection, isBinary ? data : data.toString()),
  );
  keepAlive(socket);
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
