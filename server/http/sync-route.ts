// The /sync/:reviewId websocket endpoint: the HTTP side of the sync engine (server/sync/). Everything is decided
// before the upgrade: per-address limits (429), Origin (403), session (401), membership of the review's
// organization (403), the room role, and the room is loaded (503 if it cannot be). Only then does the socket open
// (websocket-upgrade.ts) and go to the engine's open sockets (Rooms.sockets), which join it to the room.
import { Hono, type Context } from 'hono';
import { clientAddress } from '../auth/client-address.ts';
import { createThrottle, type Throttle } from '../auth/throttle.ts';
import type { RoomRole } from '../domain/board.ts';
import { roomAccess } from '../domain/review-roles.ts';
import { findRoomAccess } from '../store/review-participants.ts';
import type { ConnectionInfo } from '../sync/connection.ts';
import type { Reservation } from '../sync/open-sockets.ts';
import type { SessionRow } from '../store/sessions.ts';
import type { User } from '../store/users.ts';
import type { AppEnv } from './context.ts';
import { ApiError, forbidden, notFound, unauthorized } from './errors.ts';
import { signedIn } from './middleware/load-session.ts';
import { pathId, ReviewParams } from './params.ts';
import { isAllowedOrigin } from './security.ts';
import { UPGRADE, type UpgradeBindings } from './websocket-upgrade.ts';

/** Set only on requests that arrive as websocket upgrades (websocket-upgrade.ts). */
const upgradeOf = (c: Context) => (c.env as Partial<UpgradeBindings> | undefined)?.[UPGRADE];

export function syncRoutes() {
  const app = new Hono<
    AppEnv & {
      Variables: {
        user: User;
        session: SessionRow;
        organizationId: string;
        reservation: Reservation;
        readOnly: boolean;
        roomRole: RoomRole;
        organizationRole: 'admin' | 'member';
        ip: string;
      };
    }
  >();
  // Upgrade attempts per address and minute, counted before any lookup, so a flood never reaches the database.
  let attempts: Throttle | undefined;
  app.get(
    '/:reviewId',
    async (c, next) => {
      const limits = c.var.deps.config.syncLimits;
      attempts ??= createThrottle({ maxAttempts: limits.upgradesPerMinutePerIp, windowMs: 60_000 });
      const ip = clientAddress(c);
      const wait = attempts.retryAfter(ip);
      attempts.recordFailure(ip);
      if (wait > 0) {
        c.header('Retry-After', String(wait));
        throw new ApiError(429, 'Too many connection attempts from your address; try again shortly');
      }
      if (c.var.deps.rooms.sockets.openFrom(ip) >= limits.connectionsPerIp) {
        c.header('Retry-After', '10');
        throw new ApiError(429, 'Too many open review connections from your address');
      }
      c.set('ip', ip);
      // Hono's csrf() skips GET, so the upgrade checks its Origin against the allowlist itself.
      if (!isAllowedOrigin(c.req.header('origin'), c.var.deps.config.allowedOrigins)) {
        throw forbidden('Websocket origin not allowed');
      }
      const found = signedIn(c);
      if (!found) throw unauthorized();
      const reviewId = pathId(c, 'reviewId', ReviewParams.shape.reviewId);
      const { sql, rooms } = c.var.deps;
      const review = await findRoomAccess(sql, reviewId, found.user.id);
      if (!review) throw notFound('No such review');
      if (!review.membershipRole) throw forbidden('You are not a member of this review’s organization');
      const access = roomAccess(review.participantRole ?? undefined, review.status);
      // Rights are answered to any request (a client may ask without upgrading); only an upgrade reserves the room.
      if (!upgradeOf(c)) throw new ApiError(426, 'This address takes websocket connections only');
      try {
        c.set('reservation', await rooms.reserve(reviewId));
      } catch (error) {
        c.var.logger.error('sync: room could not be loaded', { reviewId, error: String(error) });
        throw new ApiError(503, 'The review board could not be loaded; try again shortly');
      }
      c.set('user', found.user);
      c.set('session', found.session);
      c.set('readOnly', access.readOnly);
      c.set('roomRole', access.role);
      c.set('organizationRole', review.membershipRole);
      c.set('organizationId', review.organizationId);
      await next();
    },
    (c) => {
      // Everything the socket needs is taken from the request now: the open socket keeps nothing of it.
      const info: ConnectionInfo = {
        userId: c.var.user.id,
        userName: c.var.user.name,
        sessionId: c.var.session.id,
        sessionExpiresAt: c.var.session.expiresAt.getTime(),
        organizationId: c.var.organizationId,
        roomRole: c.var.roomRole,
        organizationRole: c.var.organizationRole,
        readOnly: c.var.readOnly,
        wantsAcks: c.req.query('acks') === '1',
        ip: c.var.ip,
      };
      const sockets = c.var.deps.rooms.sockets;
      upgradeOf(c)!.accept(sockets.accept.bind(sockets, c.var.reservation, info));
      return c.body(null, 200);
    },
  );
  return app;
}
