// Builds the Hono app from explicit dependencies: middleware, the API sub-apps, sync, the front end.
import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import { createMiddleware } from 'hono/factory';
import { LiveStreams } from './auth/live-streams.ts';
import { loadSession } from './http/middleware/load-session.ts';
import { createThrottle } from './auth/throttle.ts';
import { BackgroundWork } from './background.ts';
import type { Config } from './config.ts';
import type { Sql } from './db/connect.ts';
import { organizationTokenRoutes, tokenRoutes } from './http/api-tokens.ts';
import { authRoutes } from './http/auth.ts';
import type { AppDeps, AppEnv } from './http/context.ts';
import { notFound, onError } from './http/errors.ts';
import { healthRoutes } from './http/health.ts';
import { inviteRoutes, organizationInviteRoutes } from './http/invites.ts';
import { meRoutes } from './http/me.ts';
import { importRoutes } from './http/imports.ts';
import { createImportJobs } from './services/readings-import.ts';
import { overrideRoutes } from './http/overrides.ts';
import { liveRoutes } from './http/live.ts';
import { initiativeRoutes } from './http/initiatives.ts';
import { objectiveRoutes } from './http/objectives.ts';
import { portfolioRoutes } from './http/portfolio.ts';
import { metricRoutes } from './http/metrics.ts';
import { readingRoutes } from './http/readings.ts';
import { organizationRoutes } from './http/orgs.ts';
import { readDeadline } from './http/read-deadline.ts';
import { limitRequestBodies, MAX_JSON_BODY_BYTES, refuseCrossSiteRequests, securityHeaders } from './http/security.ts';
import { loadBuiltFrontEnd, staticRoutes } from './http/static.ts';
import type { Logger } from './logger.ts';
import type { EventBus } from './domain/events.ts';
import { createEventBus } from './services/event-bus.ts';
import { syncRoutes } from './http/sync-route.ts';
import { reviewRoutes } from './http/reviews.ts';
import { reviewLifecycleRoutes } from './http/review-lifecycle.ts';
import { reviewParticipantRoutes } from './http/review-participants.ts';
import { dependencyRoutes } from './http/dependencies.ts';
import { actionRoutes } from './http/actions.ts';
import { actionCommitmentRoutes } from './http/action-commitments.ts';
import { historyRoutes } from './http/history.ts';
import { minutesRoutes } from './http/minutes.ts';
import { sharedRoutes } from './http/shared.ts';
import { calendarFeedRoutes, notificationRoutes } from './http/notifications.ts';
import { webhookRoutes } from './http/webhooks.ts';
import { createNotifier, type Notifier } from './services/notify/notifier.ts';
import { loadNotifyOptions } from './services/notify/options.ts';
import { actionListRoutes } from './http/action-lists.ts';
import { Rooms } from './sync/rooms.ts';
import { createTriageRunner } from './services/triage-runner.ts';
import { createActionFollowUp } from './services/follow-up.ts';

export interface CreateAppOptions {
  sql: Sql;
  /** Shared with other parts of the process (e.g. sync rooms); a new bus when omitted. */
  events?: EventBus;
  config: Config;
  logger: Logger;
  now?: () => Date;
  staticDir?: string;
  /** Live rooms; the caller closes them on shutdown (a new set when omitted). */
  rooms?: Rooms;
  /** Open event streams; the caller stops them on shutdown (a new registry when omitted). */
  liveStreams?: LiveStreams;
  /** Notifications and webhooks; the caller starts and stops it (an unstarted one when omitted). */
  notifier?: Notifier;
  /** Work that outlives its request; the caller waits for it on shutdown (a new tracker when omitted). */
  background?: BackgroundWork;
}

/** CSV imports carry files of their own size limit (MAX_IMPORT_BYTES), checked after their access check. */
const IMPORT_PATH = /^\/api\/orgs\/[^/]+\/imports(\/|$)/;

export function createApp(options: CreateAppOptions) {
  const now = options.now ?? (() => new Date());
  const events = options.events ?? createEventBus(options.logger);
  const rooms = options.rooms ?? new Rooms({ sql: options.sql, logger: options.logger });
  const liveStreams = options.liveStreams ?? new LiveStreams({ sql: options.sql, logger: options.logger, now });
  const background = options.background ?? new BackgroundWork(options.logger);
  const notifier =
    options.notifier ??
    createNotifier({ sql: options.sql, events, logger: options.logger, background, now, options: loadNotifyOptions() });
  const deps: AppDeps = {
    sql: options.sql,
    config: options.config,
    logger: options.logger,
    now,
    staticDir: options.staticDir,
    events,
    rooms,
    liveStreams,
    triage: createTriageRunner({ sql: options.sql, rooms, events, logger: options.logger, background, now }),
    followUp: createActionFollowUp({ sql: options.sql, rooms, events, logger: options.logger, background, now }),
    imports: createImportJobs({
      sql: options.sql,
      events,
      logger: options.logger,
      background,
      now,
      futureToleranceMs: options.config.readingFutureToleranceMs,
    }),
    throttles: {
      email: createThrottle(options.config.loginThrottle),
      // One address may sit in front of many people (an office NAT), so it gets a larger budget.
      ip: createThrottle({
        ...options.config.loginThrottle,
        maxAttempts: options.config.loginThrottle.maxAttempts * 10,
      }),
    },
  };
  const frontEnd = loadBuiltFrontEnd(deps.staticDir);

  const app = new OpenAPIHono<AppEnv>();
  app.use(requestId());
  app.use(
    createMiddleware<AppEnv>(async (c, next) => {
      c.set('deps', deps);
      c.set('logger', deps.logger);
      const started = performance.now();
      await next();
      // Debug, not info: a line per request buries the start-up banner (its URL and demo logins) in seconds.
      deps.logger.debug('request', {
        requestId: c.var.requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    }),
  );
  app.use(securityHeaders(frontEnd?.scriptHashes ?? []));
  app.use(
    '/api/*',
    readDeadline(options.config.databaseTimeouts.statementMs),
    limitRequestBodies(MAX_JSON_BODY_BYTES, (path) => IMPORT_PATH.test(path)),
    refuseCrossSiteRequests,
    loadSession,
  );
  app.use('/sync/*', loadSession);

  app.route('/', healthRoutes());
  app.route('/api/auth', authRoutes());
  app.route('/api/me', meRoutes());
  app.route('/api/orgs', organizationRoutes());
  app.route('/api/orgs', organizationInviteRoutes());
  app.route('/api/orgs', organizationTokenRoutes());
  app.route('/api/invites', inviteRoutes());
  app.route('/api/tokens', tokenRoutes());
  app.route('/api/orgs', objectiveRoutes());
  app.route('/api/orgs', initiativeRoutes());
  app.route('/api/orgs', portfolioRoutes());
  app.route('/api/orgs', liveRoutes());
  app.route('/api/orgs', importRoutes());
  app.route('/api/orgs', dependencyRoutes());
  app.route('/api', metricRoutes());
  app.route('/api', readingRoutes());
  app.route('/api', overrideRoutes());
  app.route('/api', reviewRoutes());
  app.route('/api', reviewLifecycleRoutes());
  app.route('/api', reviewParticipantRoutes());
  app.route('/api', actionRoutes());
  app.route('/api', actionCommitmentRoutes());
  app.route('/api', historyRoutes());
  app.route('/api', minutesRoutes()).route('/api', sharedRoutes());
  app.route('/api', notificationRoutes());
  app.route('/api/orgs', webhookRoutes(notifier));
  app.route('/', calendarFeedRoutes());
  app.route('/api', actionListRoutes());
  app.route('/sync', syncRoutes());

  app.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', { type: 'http', scheme: 'bearer' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'Session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'lastmile_session',
  });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Lastmile API',
      version: '0.1.0',
      description:
        'JSON in and out. Errors are { "error": "…", "issues": [{ "path": "…", "message": "…" }] }. ' +
        'Browser sessions use the lastmile_session cookie; data sources use Authorization: Bearer <API token>.',
    },
    security: [{ Session: [] }],
  });

  app.all('/api/*', () => {
    throw notFound('No such API route');
  });
  if (frontEnd && deps.staticDir) app.route('/', staticRoutes(deps.staticDir, frontEnd));
  app.notFound(() => {
    throw notFound();
  });
  app.onError(onError);
  return app;
}
