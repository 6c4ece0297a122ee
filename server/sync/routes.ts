// The /sync/:reviewId websocket endpoint. Everything is decided before the upgrade: Origin (403), session (401),
// membership of the review's organization (403), the room role, and the room is loaded (503 if it cannot be).
// Only then does the socket open (upgrade.ts) and join the room.
import { Hono, type Context } from 'hono';
import { clientAddress } from '../auth/client-address.ts';
import { createThrottle, type Throttle } from '../auth/throttle.ts';
import { z } from 'zod';
import type { WebSocket as WsSocket } from 'ws';
import type { RoomRole } from '../domain/board.ts';
import { roomAccess } from '../domain/review-roles.ts';
import type { AppEnv } from '../http/context.ts';
import { ApiError, badRequest, forbidden, notFound, unauthorized } from '../http/errors.ts';
import { isAllowedOrigin } from '../http/security.ts';
import { findRoomAccess } from '../store/reviews.ts';
import type { Connection, ConnectionInfo } from './room.ts';
import type { Reservation, Rooms } from './rooms.ts';
import { UPGRADE, type UpgradeBindings } from './upgrade.ts';

const reviewIdSchema = z.uuid();
const KEEPALIVE_MS = 30_000;

const clientIp = clientAddress;

/** Set only on requests that arrive as websocket upgrades (upgrade.ts). */
const upgradeOf = (c: Context) => (c.env as Partial<UpgradeBindings> | undefined)?.[UPGRADE];

export function syncRoutes() {
  const app = new Hono<
    AppEnv & {
      Variables: {
        reservation: Reservation;
        readOnly: boolean;
        roomRole: RoomRole;
        organizationRole: 'admin' | 'member';
        ip: string;
      };
    }
  >();
  // Per address: upgrade attempts per minute (counted before any lookup, so a flood never reaches the database)
  // and sockets open at once.
  let attempts: Throttle | undefined;
  const open = new Map<string, number>();
  let listeners: SocketListeners | undefined;
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
      const review = await findRoomAccess(sql, reviewId, user.id);
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
      c.set('readOnly', access.readOnly);
      c.set('roomRole', access.role);
      c.set('organizationRole', review.membershipRole);
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
        roomRole: c.var.roomRole,
        organizationRole: c.var.organizationRole,
        readOnly: c.var.readOnly,
        wantsAcks: c.req.query('acks') === '1',
        ip: c.var.ip,
      };
      listeners ??= socketListeners({ rooms: c.var.deps.rooms, open });
      const opening: Opening = { reservation: c.var.reservation, info, listeners };
      upgradeOf(c)!.accept(openSocket.bind(null, opening));
      return c.body(null, 200);
    },
  );
  return app;
}

const ignoreSocketError = () => {};

/** What an open socket's listeners need besides its connection: one object for all sockets of the route. */
interface Home {
  rooms: Rooms;
  /** Sockets open per address. */
  open: Map<string, number>;
}

interface Opening {
  reservation: Reservation;
  info: ConnectionInfo;
  listeners: SocketListeners;
}

// An open socket's listeners are functions shared by all sockets of the route (called with the socket as `this`),
// which find the socket's Connection in `sockets`: no closures per socket and nothing added to ws's objects, so an
// idle connection costs what its socket and its Connection do.
const sockets = new Map<WsSocket, Connection>();

interface SocketListeners {
  open: Map<string, number>;
  onMessage(this: WsSocket, data: Buffer, isBinary: boolean): void;
  onClose(this: WsSocket): void;
}

function socketListeners({ rooms, open }: Home): SocketListeners {
  return {
    open,
    onMessage(this: WsSocket, data: Buffer, isBinary: boolean): void {
      const connection = sockets.get(this);
      if (connection) rooms.receive(connection.reviewId, connection, isBinary ? data : data.toString());
    },
    onClose(this: WsSocket): void {
      const connection = sockets.get(this);
      if (!connection) return;
      sockets.delete(this);
      const left = (open.get(connection.ip) ?? 1) - 1;
      if (left > 0) open.set(connection.ip, left);
      else open.delete(connection.ip);
      rooms.leave(connection.reviewId, connection);
    },
  };
}

/** Joins the upgraded socket to its room and wires its events (no reference to the upgrade request). */
function openSocket({ reservation, info, listeners }: Opening, ws: WsSocket): void {
  // ws reports a protocol violation (an oversized frame: it closes with 1009 itself) as an 'error' event, which
  // without a listener would throw out of the process; the 'close' that follows cleans up.
  ws.on('error', ignoreSocketError);
  // A room that went away meanwhile closes the socket (4503) and the client reconnects.
  const connection = reservation.join(ws, info);
  if (!connection) return;
  sockets.set(ws, connection);
  listeners.open.set(info.ip, (listeners.open.get(info.ip) ?? 0) + 1);
  ws.on('close', listeners.onClose);
  // ws hands over each message as one Buffer (its default binary type).
  ws.on('message', listeners.onMessage);
  keepAlive(ws);
}

// One keepalive timer for every socket: a peer that stops answering pings (a laptop lid closed) is dropped,
// which clears its presence.
let keepaliveTimer: NodeJS.Timeout | undefined;

function onPong(this: WsSocket): void {
  const connection = sockets.get(this);
  if (connection) connection.answeredPing = true;
}

function keepAlive(socket: WsSocket): void {
  socket.on('pong', onPong);
  keepaliveTimer ??= setInterval(() => {
    for (const [peer, connection] of sockets) {
      // Its 'close' follows and removes it.
      if (!connection.answeredPing) {
        peer.terminate();
        continue;
      }
      connection.answeredPing = false;
      peer.ping();
    }
    if (sockets.size === 0) {
      clearInterval(keepaliveTimer);
      keepaliveTimer = undefined;
    }
  }, KEEPALIVE_MS);
  keepaliveTimer.unref();
}
