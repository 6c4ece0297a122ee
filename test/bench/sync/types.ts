// Shapes shared by the sync benchmark's load generator and its server processes.

export const SERVER_KINDS = ['lastmile', 'y-websocket-server', 'hocuspocus'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];
export const REFERENCE_KINDS = ['y-websocket-server', 'hocuspocus'] as const satisfies readonly ServerKind[];

/** The server child's argument that starts Lastmile with `Rooms({ judgeUpdates: false })` (benchmark only). */
export const NO_PERMISSION_CHECK = '--no-permission-check';

export type ChildRequest = { type: 'stats'; id: number; gc: boolean } | { type: 'stop'; id: number };

export interface ChildReady {
  type: 'ready';
  port: number;
}

export interface ChildStats {
  type: 'stats';
  id: number;
  /** User + system CPU of the server's Node process since it started. */
  cpuUs: number;
  heapUsedBytes: number;
  /** After a collection: the bytes of the objects the heap snapshot holds, compiled code left out; else null. */
  retainedBytes: number | null;
  rssBytes: number;
  /** Documents held in memory. */
  rooms: number;
  /** Lastmile: each update's time (ms) from being queued for commit to its acknowledgement, since the last stats. */
  serverAckMs: number[];
}

/** One figure of one server in one scenario; `null` when it does not apply (or could not be measured). */
export type Figures = Record<string, number | null>;

/** scenario → server → figures. */
export type RunResult = Record<string, Partial<Record<ServerKind, Figures>>>;
