// The benchmark's sizes and durations, from the environment (defaults keep one run to a few minutes).
import { SERVER_KINDS, type ServerKind } from './types.ts';

const number = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
  return value;
};
const list = (name: string, fallback: string) =>
  (process.env[name] ?? fallback)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

export const SCENARIO_GROUPS = ['paced', 'closed', 'rooms', 'idle', 'join', 'unload'] as const;

export function loadBenchEnv() {
  const servers = list('BENCH_SERVERS', SERVER_KINDS.join(','));
  const unknown = servers.find((server) => !(SERVER_KINDS as readonly string[]).includes(server));
  if (unknown) throw new Error(`BENCH_SERVERS: unknown server "${unknown}" (known: ${SERVER_KINDS.join(', ')})`);
  return {
    runs: Math.max(1, Math.round(number('BENCH_RUNS', 1))),
    servers: servers as ServerKind[],
    scenarios: list('BENCH_SCENARIOS', SCENARIO_GROUPS.join(',')),
    /** Lastmile users the connections are spread over (each signed up through the API). */
    users: Math.max(1, Math.round(number('BENCH_USERS', 5))),
    pacedClients: list('BENCH_PACED_CLIENTS', '10,50,200').map(Number),
    writers: number('BENCH_WRITERS', 20),
    rate: number('BENCH_RATE', 2.5),
    seconds: number('BENCH_SECONDS', 6),
    warmupSeconds: number('BENCH_WARMUP_SECONDS', 1),
    closedClients: list('BENCH_CLOSED_CLIENTS', '10,200').map(Number),
    closedSeconds: number('BENCH_CLOSED_SECONDS', 4),
    rooms: number('BENCH_ROOMS', 100),
    roomClients: number('BENCH_ROOM_CLIENTS', 5),
    idle: number('BENCH_IDLE', 500),
    joinUpdates: number('BENCH_JOIN_UPDATES', 10_000),
    joins: Math.max(1, number('BENCH_JOINS', 5)),
    unloadRooms: number('BENCH_UNLOAD_ROOMS', 500),
    unloadWaitMs: number('BENCH_UNLOAD_WAIT_MS', 5000),
  };
}

export type BenchEnv = ReturnType<typeof loadBenchEnv>;
