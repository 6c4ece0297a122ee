// What every request handler can reach: dependencies injected by createApp, and per-request state.
import type { Config } from '../config.ts';
import type { Sql } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import type { Throttle } from '../auth/throttle.ts';
import type { EventBus } from '../domain/events.ts';
import type { ImportJobs } from '../services/readings-import.ts';
import type { Rooms } from '../sync/rooms.ts';
import type { LiveStreams } from '../auth/live-streams.ts';
import type { TriageRunner } from '../services/triage-runner.ts';
import type { ActionFollowUp } from '../services/follow-up.ts';

export interface AppDeps {
  readonly sql: Sql;
  readonly config: Config;
  readonly logger: Logger;
  /** Injected so that tests can move time; defaults to the wall clock. */
  readonly now: () => Date;
  readonly throttles: { readonly email: Throttle; readonly ip: Throttle };
  readonly events: EventBus;
  readonly imports: ImportJobs;
  /** Live review rooms of this process. */
  readonly rooms: Rooms;
  /** Open server-sent event streams of this process, ended on sign-out like the rooms' sockets. */
  readonly liveStreams: LiveStreams;
  /** Pivots live boards to triage when metrics slip. */
  readonly triage: TriageRunner;
  /** Mirrors action items on boards, verifies them by readings, lists them at the series' next review. */
  readonly followUp: ActionFollowUp;
  /** Folder of the built front end, if it should be served. */
  readonly staticDir?: string;
}

/** What every request has; the guards in middleware/ add who asks and what they may reach, route by route. */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    deps: AppDeps;
  };
}

/**
 * What a route's helper reads of its request: the variables of `E`, set by the route's guards. A context with
 * more variables fits too (a Hono Context of another Env would not, for its `set`).
 */
export type VarsOf<E extends { Variables: object }> = { readonly var: Readonly<E['Variables']> };
