// What every request handler can reach: dependencies injected by createApp, and per-request state.
import type { Config } from '../config.ts';
import type { Sql } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import type { Throttle } from '../auth/throttle.ts';
import type { SessionRow } from '../store/sessions.ts';
import type { OrganizationForUser } from '../store/organizations.ts';
import type { TokenPrincipal } from '../store/api-tokens.ts';
import type { User } from '../store/users.ts';
import type { Actor } from '../domain/actor.ts';
import type { EventBus } from '../domain/events.ts';
import type { ImportJobs } from '../services/readings-import.ts';
import type { Rooms } from '../sync/rooms.ts';
import type { LiveStreams } from '../auth/live-streams.ts';
import type { TriageRunner } from '../services/triage-runner.ts';
import type { ActionFollowUp } from '../services/follow-up.ts';
import type { ReviewRow } from '../store/reviews.ts';
import type { ActionItemRow } from '../store/action-items.ts';
import type { RoomRole } from '../domain/board.ts';

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

export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    deps: AppDeps;
    user: User | undefined;
    session: SessionRow | undefined;
    membership: OrganizationForUser;
    apiToken: TokenPrincipal;
    /** Set by the org/metric access guards: who acts, in which organization. */
    actor: Actor;
    organizationId: string;
    /** Set by the review guard: the review and the user's room role in it. */
    review: ReviewRow;
    roomRole: RoomRole;
    /** Set by the action item guard. */
    action: ActionItemRow;
  };
}
