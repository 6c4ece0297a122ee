// Starts each server under benchmark in its own process, pinned to a core of its own when `taskset` exists,
// and reads its CPU (its Node process, and with its children such as embedded PostgreSQL) and memory.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ChildReady, ChildRequest, ChildStats, ServerKind } from './types.ts';

const childEntry = fileURLToPath(new URL('./server-child.ts', import.meta.url));
const CLOCK_TICKS_PER_SECOND = 100;

export const hasTaskset = existsSync('/usr/bin/taskset') || spawnSync('taskset', ['-V']).status === 0;
const cores = availableParallelism();
/** The load generator runs on core 0 and the servers on the others (when there are others). */
export const serverCores = cores > 2 ? `1-${cores - 1}` : cores === 2 ? '1' : '0';

/** Pins this process (all its threads) to core 0, so servers and load generator do not share a core. */
export function pinLoadGenerator(): boolean {
  if (!hasTaskset || cores < 2) return false;
  return spawnSync('taskset', ['-a', '-c', '-p', '0', String(process.pid)]).status === 0;
}

export interface ServerSample {
  /** The Node process's CPU, from inside. */
  cpuUs: number;
  /** The process and its descendants (embedded PostgreSQL for Lastmile), from /proc; null elsewhere. */
  treeCpuUs: number | null;
  heapUsedBytes: number;
  /** With `gc`: what the heap's objects hold, compiled code left out (see server-child.ts). */
  retainedBytes: number | null;
  rssBytes: number;
  rooms: number;
  /** Lastmile: server-side commit-to-acknowledgement latencies (ms) since the previous sample. */
  serverAckMs: number[];
}

export class ServerProcess {
  readonly #child: ChildProcess;
  #nextId = 1;
  readonly #pending = new Map<number, (message: ChildStats | { type: 'stopped' }) => void>();
  port = 0;

  private constructor(
    readonly kind: ServerKind,
    child: ChildProcess,
  ) {
    this.#child = child;
  }

  /** `childArgs` go to the server child after the kind (`--no-permission-check` for Lastmile, see server-child.ts). */
  static async start(kind: ServerKind, childArgs: readonly string[] = []): Promise<ServerProcess> {
    // BENCH_CPU_PROFILES: a directory for each server's CPU profile (open it in Chrome's DevTools).
    const profile = process.env.BENCH_CPU_PROFILES
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILES}`]
      : [];
    const node = [process.execPath, ...profile, '--import', 'tsx', childEntry, kind, ...childArgs];
    const [command, ...args] = hasTaskset && cores > 1 ? ['taskset', '-c', serverCores, ...node] : node;
    const child = spawn(command!, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: process.env });
    const server = new ServerProcess(kind, child);
    server.port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${kind} exited with ${code} before it was ready`)));
      child.once('message', (message: ChildReady) => resolve(message.port));
    });
    child.on('message', (message: ChildStats | { type: 'stopped'; id: number }) => {
      this.#settle(server, message);
    });
    return server;
  }

  static #settle(server: ServerProcess, message: ChildStats | { type: 'stopped'; id: number }) {
    server.#pending.get(message.id)?.(message);
    server.#pending.delete(message.id);
  }

  get pid(): number {
    return this.#child.pid!;
  }

  #request(request: { type: 'stats'; gc: boolean } | { type: 'stop' }): Promise<ChildStats | { type: 'stopped' }> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#child.send({ ...request, id } satisfies ChildRequest);
    });
  }

  /** CPU and memory now; with `gc`, after a full garbage collection (for heap figures). */
  async sample(gc = false): Promise<ServerSample> {
    const stats = (await this.#request({ type: 'stats', gc })) as ChildStats;
    return {
      cpuUs: stats.cpuUs,
      treeCpuUs: processTreeCpuUs(this.pid),
      heapUsedBytes: stats.heapUsedBytes,
      retainedBytes: stats.retainedBytes,
      rssBytes: stats.rssBytes,
      rooms: stats.rooms,
      serverAckMs: stats.serverAckMs,
    };
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    await Promise.race([this.#request({ type: 'stop' }), new Promise((resolve) => setTimeout(resolve, 20_000))]);
    if (this.#child.exitCode === null) this.#child.kill();
    await exited;
  }
}

/** utime + stime of a process and all its descendants, in µs (clock-tick resolution). */
function processTreeCpuUs(rootPid: number): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses; fields resume after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      const parent = Number(fields[1]);
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
      children.set(parent, [...(children.get(parent) ?? []), pid]);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    total += ticks.get(pid) ?? 0;
    queue.push(...(children.get(pid) ?? []));
  }
  return (total * 1e6) / CLOCK_TICKS_PER_SECOND;
}
