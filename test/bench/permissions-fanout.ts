// `npm run bench:permissions-fanout`: what judging every client update by the board's permissions (issue 18) costs
// the 200-client fan-out. Starts two Lastmile server children as `npm run bench:sync` does (embedded PostgreSQL,
// sign-in, durable acknowledgements), one as shipped and one with `Rooms({ judgeUpdates: false })` (the child's
// `--no-permission-check` argument; no environment variable or configuration of the production server reaches
// it), and runs the same paced and closed-loop scenarios against both in the same run, alternating which goes
// first. Prints both, the ratio, and the load generator's CPU; writes bench-results/permissions-fanout-<time>.json.
// Sizes: the largest of BENCH_PACED_CLIENTS and of BENCH_CLOSED_CLIENTS (200 each), BENCH_WRITERS, BENCH_RATE,
// BENCH_SECONDS, BENCH_CLOSED_SECONDS, BENCH_WARMUP_SECONDS (test/bench/sync/env.ts); BENCH_RUNS (default 3 here)
// takes the median. BENCH_PERMISSIONS_PROFILE=1 also records both servers' CPU profiles and prints the share of the
// checked server's busy main thread spent in checkUpdatePermissions: a figure a busy machine does not blur.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTarget, type Target } from './sync/clients.ts';
import { sleep } from './sync/connect.ts';
import { loadBenchEnv } from './sync/env.ts';
import { closedLoop, paced, type Context } from './sync/scenarios.ts';
import { hasTaskset, pinLoadGenerator, ServerProcess, serverCores } from './sync/servers.ts';
import { NO_PERMISSION_CHECK, type Figures } from './sync/types.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const VARIANTS = ['with check', 'without check'] as const;
type Variant = (typeof VARIANTS)[number];

interface Row {
  label: string;
  scenario: 'paced' | 'closed';
  figure: string;
  better: 'lower' | 'higher';
  digits?: number;
  /** Context for reading the others: no cost figure. */
  info?: boolean;
}

function rows(paced: number, closed: number, writers: number, rate: number): Row[] {
  const p = `${paced} clients, ${writers} writers at ${rate}/s`;
  const c = `${closed} clients (${Math.min(writers, closed)} writers), closed loop`;
  return [
    { label: `${p}: deliveries/s`, scenario: 'paced', figure: 'deliveriesPerSec', better: 'higher', digits: 0 },
    { label: `${p}: delivery p50 (ms)`, scenario: 'paced', figure: 'p50Ms', better: 'lower' },
    { label: `${p}: delivery p99 (ms)`, scenario: 'paced', figure: 'p99Ms', better: 'lower' },
    { label: `${p}: edit → durable ack p99 (ms)`, scenario: 'paced', figure: 'ackP99Ms', better: 'lower' },
    {
      label: `${p}: server CPU µs per delivery (with PostgreSQL)`,
      scenario: 'paced',
      figure: 'serverCpuUsPerDelivery',
      better: 'lower',
      digits: 2,
    },
    {
      label: `${p}: server Node CPU µs per delivery`,
      scenario: 'paced',
      figure: 'nodeCpuUsPerDelivery',
      better: 'lower',
      digits: 2,
    },
    { label: `${p}: load generator CPU %`, scenario: 'paced', figure: 'generatorCpuPct', better: 'lower', info: true },
    { label: `${c}: max deliveries/s`, scenario: 'closed', figure: 'deliveriesPerSec', better: 'higher', digits: 0 },
    {
      label: `${c}: server CPU µs per delivery (with PostgreSQL)`,
      scenario: 'closed',
      figure: 'serverCpuUsPerDelivery',
      better: 'lower',
      digits: 2,
    },
    {
      label: `${c}: server Node CPU µs per delivery`,
      scenario: 'closed',
      figure: 'nodeCpuUsPerDelivery',
      better: 'lower',
      digits: 2,
    },
    { label: `${c}: load generator CPU %`, scenario: 'closed', figure: 'generatorCpuPct', better: 'lower', info: true },
    {
      label: `${c}: connections closed 4429`,
      scenario: 'closed',
      figure: 'closed4429',
      better: 'lower',
      digits: 0,
      info: true,
    },
    { label: `${c}: stalled edits`, scenario: 'closed', figure: 'stalls', better: 'lower', digits: 0, info: true },
  ];
}

type Result = Record<'paced' | 'closed', Partial<Record<Variant, Figures>>>;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function medianOf(runs: Result[]): Result {
  const result: Result = { paced: {}, closed: {} };
  for (const scenario of ['paced', 'closed'] as const)
    for (const variant of VARIANTS) {
      const figures = runs.map((run) => run[scenario][variant]).filter((f): f is Figures => f !== undefined);
      const names = new Set(figures.flatMap((f) => Object.keys(f)));
      const out: Figures = {};
      for (const name of names)
        out[name] = median(figures.map((f) => f[name]).filter((v): v is number => typeof v === 'number'));
      if (figures.length > 0) result[scenario][variant] = out;
    }
  return result;
}

const format = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined
    ? '—'
    : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** With ÷ without, and the change the check makes (signed %: with ÷ without − 1). */
function cost(row: Row, withCheck: number | null | undefined, without: number | null | undefined) {
  if (row.info || withCheck == null || without == null || without === 0) return { ratio: null, cost: null };
  const ratio = withCheck / without;
  return { ratio, cost: (ratio - 1) * 100 };
}

const signed = (pct: number) => `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}%`;

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * From a server's main-thread CPU profile, from its first judged update on: busy time (not idle), and of it the
 * time under each of `functions`.
 */
function profileShares(file: string, functions: string[]) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stacks = new Map<number, Set<string>>();
  const stackOf = (id: number) => {
    let names = stacks.get(id);
    if (!names) {
      names = new Set();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
        names.add(byId.get(at)!.callFrame.functionName);
      stacks.set(id, names);
    }
    return names;
  };
  let busyUs = 0;
  const under = Object.fromEntries(functions.map((name) => [name, 0]));
  let started = false;
  profile.samples.forEach((sample, index) => {
    const names = stackOf(sample);
    started ||= names.has('#admit');
    if (!started || names.has('(idle)')) return;
    const delta = profile.timeDeltas[index] ?? 0;
    busyUs += delta;
    for (const name of functions) if (names.has(name)) under[name]! += delta;
  });
  return { busyMs: busyUs / 1000, underMs: Object.fromEntries(functions.map((name) => [name, under[name]! / 1000])) };
}

async function main() {
  const env = loadBenchEnv();
  const profileDir =
    process.env.BENCH_PERMISSIONS_PROFILE === '1' ? mkdtempSync(path.join(os.tmpdir(), 'perm-prof-')) : null;
  // ServerProcess passes this on to the children as --cpu-prof-dir.
  if (profileDir) process.env.BENCH_CPU_PROFILES = profileDir;
  const runs = process.env.BENCH_RUNS === undefined ? 3 : env.runs;
  const pacedClients = Math.max(...env.pacedClients);
  const closedClients = Math.max(...env.closedClients);
  const pinned = pinLoadGenerator();
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'server'], { cwd: root, encoding: 'utf8' }).stdout;
  const revision = `${head}${dirty.trim() ? ' (server/ has uncommitted changes)' : ''}`;
  const machine = `${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 1024 ** 3)} GB, ${os.type()} ${os.release()}; Node ${process.version}`;
  console.log(`Machine: ${machine}`);
  console.log(
    `Lastmile at ${revision}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    pinned
      ? `Pinning: load generator on core 0, both servers on core(s) ${serverCores} (taskset); only one is driven at a time.`
      : `Pinning: none (${hasTaskset ? 'one core only' : 'no taskset'}); servers and load generator share the CPU.`,
  );
  const servers: { variant: Variant; server: ServerProcess; target: Target }[] = [];
  const results: Result[] = [];
  const failures: string[] = [];
  const startedAt = new Date();
  try {
    for (const variant of VARIANTS) {
      console.log(`Starting Lastmile ${variant}…`);
      const server = await ServerProcess.start('lastmile', variant === 'without check' ? [NO_PERMISSION_CHECK] : []);
      servers.push({ variant, server, target: await createTarget('lastmile', server.port, env.users) });
    }
    for (let run = 1; run <= runs; run++) {
      const result: Result = { paced: {}, closed: {} };
      // Alternating which goes first, so that a drift of the machine during the run favours neither.
      const order = run % 2 === 1 ? servers : [...servers].reverse();
      const steps: ['paced' | 'closed', (ctx: Context) => Promise<Figures>][] = [
        ['paced', (ctx) => paced(ctx, pacedClients)],
        ['closed', (ctx) => closedLoop(ctx, closedClients)],
      ];
      for (const [scenario, measure] of steps)
        for (const { variant, server, target } of order) {
          const started = performance.now();
          process.stdout.write(`run ${run}/${runs} · ${scenario} · Lastmile ${variant}… `);
          try {
            result[scenario][variant] = await measure({ server, target, env });
            console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
          } catch (error) {
            console.log('failed');
            failures.push(`run ${run} · ${scenario} · ${variant}: ${String(error)}`);
          }
          await sleep(500);
        }
      results.push(result);
    }
  } finally {
    await Promise.allSettled(servers.map(({ server }) => server.stop()));
  }
  const pids = Object.fromEntries(servers.map(({ variant, server }) => [variant, server.pid]));
  const result = medianOf(results);
  const table = rows(pacedClients, closedClients, env.writers, env.rate);
  console.log('');
  console.log(`${runs === 1 ? 'One run' : `Median of ${runs} runs`}, both in this run on this machine:`);
  console.log('');
  console.log('| figure | with the check | without | with ÷ without | change with the check |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  const summary: Record<string, { with: number | null; without: number | null; ratio: number | null }> = {};
  for (const row of table) {
    const withCheck = result[row.scenario]['with check']?.[row.figure];
    const without = result[row.scenario]['without check']?.[row.figure];
    const { ratio, cost: pct } = cost(row, withCheck, without);
    summary[row.label] = { with: withCheck ?? null, without: without ?? null, ratio };
    console.log(
      `| ${row.label} | ${format(withCheck, row.digits)} | ${format(without, row.digits)} | ` +
        `${ratio === null ? '—' : `${ratio.toFixed(3)}×`} | ${pct === null ? '—' : signed(pct)} |`,
    );
  }
  const expected = env.writers * env.rate * (pacedClients - 1);
  console.log('');
  console.log(
    `Paced: ${Math.min(env.writers, pacedClients)} writers × ${env.rate}/s × ${pacedClients - 1} receivers = ` +
      `${format(expected, 0)} deliveries/s expected; fewer means edits were refused or lost.`,
  );
  const closedCost = cost(
    table.find((row) => row.scenario === 'closed' && row.figure === 'deliveriesPerSec')!,
    result.closed['with check']?.deliveriesPerSec,
    result.closed['without check']?.deliveriesPerSec,
  ).cost;
  const cpuCost = cost(
    table.find((row) => row.scenario === 'paced' && row.figure === 'nodeCpuUsPerDelivery')!,
    result.paced['with check']?.nodeCpuUsPerDelivery,
    result.paced['without check']?.nodeCpuUsPerDelivery,
  ).cost;
  const generator = Math.max(
    result.closed['with check']?.generatorCpuPct ?? 0,
    result.closed['without check']?.generatorCpuPct ?? 0,
  );
  console.log(
    `Issue 18 target, ≤ 10% on the ${closedClients}-client fan-out: with the check, closed-loop deliveries/s ` +
      `${closedCost === null ? 'not measured' : signed(closedCost)}; paced server Node CPU per delivery ` +
      `${cpuCost === null ? 'not measured' : signed(cpuCost)}` +
      (generator >= 90
        ? `. The load generator was at ${generator.toFixed(0)}% CPU in the closed loop, so that throughput is ` +
          'bounded by the clients; the server CPU per delivery is the figure that shows the check'
        : ''),
  );
  let profiles: Record<string, ReturnType<typeof profileShares>> | null = null;
  if (profileDir) {
    profiles = {};
    const functions = ['checkUpdatePermissions', '#admit', '#integrate', '#broadcast'];
    for (const variant of VARIANTS) {
      // Node names profiles CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread.
      const file = readdirSync(profileDir).find(
        (name) => name.split('.')[3] === String(pids[variant]) && name.split('.')[4] === '0',
      );
      if (file) profiles[variant] = profileShares(path.join(profileDir, file), functions);
    }
    rmSync(profileDir, { recursive: true, force: true });
    console.log('');
    console.log("CPU profiles of the servers' main threads, from their first judged update to the end (ms):");
    console.log('');
    console.log(`| server | busy | ${functions.join(' | ')} |`);
    console.log(`| --- | ---: | ${functions.map(() => '---:').join(' | ')} |`);
    for (const [variant, figures] of Object.entries(profiles))
      console.log(
        `| Lastmile ${variant} | ${figures.busyMs.toFixed(0)} | ` +
          `${functions.map((name) => figures.underMs[name]!.toFixed(0)).join(' | ')} |`,
      );
    const checked = profiles['with check'];
    if (checked)
      console.log(
        `The check is ${((checked.underMs.checkUpdatePermissions! / checked.busyMs) * 100).toFixed(1)}% of the checked ` +
          'server’s busy main thread in these scenarios.',
      );
  }
  if (failures.length > 0) {
    console.log('');
    console.log('Scenarios that failed:');
    for (const failure of failures) console.log(`- ${failure}`);
  }
  const dir = path.join(root, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `permissions-fanout-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        startedAt,
        finishedAt: new Date(),
        revision,
        machine,
        pinned,
        settings: { ...env, runs },
        failures,
        runs: results,
        median: result,
        summary,
        profiles,
      },
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
