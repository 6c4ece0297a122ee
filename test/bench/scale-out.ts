// Cross-process delivery with Redis (issue 9's last target): in the same run, the same paced writers and
// readers against one Lastmile process alone, then against two processes sharing the review through Redis
// with every writer on the first process and every reader on the second, so each delivery crosses processes.
// Prints delivery p50/p95/p99 and edit → durable ack for both, and the ratio; writes
// bench-results/scale-out-<time>.json. Sizes: BENCH_SCALE_CLIENTS (readers, default 50), BENCH_WRITERS (10),
// BENCH_RATE (edits/s per writer, 2.5), BENCH_SECONDS (10). Needs Redis at REDIS_URL (default 127.0.0.1:6379).
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePort, startEmbeddedPostgres } from '../../server/db/embedded.ts';
import { createOrganization, signUp } from '../support/client.ts';
import { startProcess, waitForOutput, type StartedProcess } from '../support/process.ts';
import { createReview } from '../support/reviews.ts';
import { connectProvider, socketWithHeaders, type BenchClient } from './sync/clients.ts';
import { sleep, withTimeout } from './sync/connect.ts';
import { DeliveryFlow, percentile } from './sync/flow.ts';

const readers = Number(process.env.BENCH_SCALE_CLIENTS ?? 50);
const writers = Number(process.env.BENCH_WRITERS ?? 10);
const rate = Number(process.env.BENCH_RATE ?? 2.5);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Figures {
  deliveries: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  ackP50Ms: number | null;
  ackP99Ms: number | null;
}

async function main() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lastmile-scale-bench-'));
  const database = await startEmbeddedPostgres({ dataDir });
  const ports = [await findFreePort(), await findFreePort()];
  const origins = ports.map((port) => `http://localhost:${port}`);
  const running: StartedProcess[] = [];
  const prefix = `bench-${randomUUID()}`;
  const start = async (index: number, redis: boolean) => {
    const server = startProcess({
      PORT: String(ports[index]),
      PUBLIC_URL: origins[index]!,
      ALLOWED_ORIGINS: origins.join(','),
      DATABASE_URL: database.url,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'error',
      SYNC_MAX_CONNECTIONS_PER_IP: '100000',
      SYNC_UPGRADES_PER_MINUTE_PER_IP: '100000',
      ...(redis ? { REDIS_URL: redisUrl, REDIS_PREFIX: prefix } : {}),
    });
    running.push(server);
    await waitForOutput(server, 'Press Ctrl+C to stop.');
    return server;
  };
  const stopAll = async () => {
    for (const server of running.splice(0))
      if (server.child.exitCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
  };
  try {
    let first = await start(0, false);
    const { client } = await signUp(origins[0]!, 'Scale Bench');
    const org = await createOrganization(client, 'Scale Bench');
    const connect = (server: number, room: string): BenchClient =>
      connectProvider(`ws://127.0.0.1:${ports[server]}/sync`, room, {
        socket: socketWithHeaders({ origin: origins[server]!, cookie: client.cookie! }),
        params: { acks: '1' },
        acks: true,
      });
    const run = async (label: string, readerServer: number): Promise<Figures> => {
      const review = await createReview(client, org.id, { title: label });
      const writing = Array.from({ length: writers }, () => connect(0, review.id));
      const reading = Array.from({ length: readers }, () => connect(readerServer, review.id));
      await withTimeout(Promise.all([...writing, ...reading].map((c) => c.synced)), 60_000, 'clients to sync');
      const flow = new DeliveryFlow();
      reading.forEach((reader, i) => flow.receive(reader, writers + i));
      writing.forEach((writer, id) => flow.followAcks(writer, id));
      const timers: NodeJS.Timeout[] = [];
      writing.forEach((writer, id) => {
        const tick = () => {
          flow.edit(writer, id);
          timers[id] = setTimeout(tick, 1000 / rate);
        };
        timers[id] = setTimeout(tick, (Math.random() * 1000) / rate);
      });
      await sleep(1000);
      flow.startWindow();
      await sleep(seconds * 1000);
      flow.endWindow();
      timers.forEach((timer) => clearTimeout(timer));
      await sleep(1000);
      for (const c of [...writing, ...reading]) c.destroy();
      return {
        deliveries: flow.latencies.length,
        p50Ms: percentile(flow.latencies, 50),
        p95Ms: percentile(flow.latencies, 95),
        p99Ms: percentile(flow.latencies, 99),
        ackP50Ms: percentile(flow.ackLatencies, 50),
        ackP99Ms: percentile(flow.ackLatencies, 99),
      };
    };

    process.stdout.write('one process… ');
    const single = await run('Scale bench: one process', 0);
    console.log('done');
    await stopAll();
    first = await start(0, true);
    await start(1, true);
    void first;
    process.stdout.write('two processes through Redis… ');
    const cross = await run('Scale bench: two processes', 1);
    console.log('done');

    const fmt = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(1)} ms`);
    const ratio = (a: number | null, b: number | null) => (a === null || !b ? 'n/a' : `${(a / b).toFixed(2)}×`);
    console.log(
      `\n${writers} writers at ${rate} edits/s on process 1, ${readers} readers; ${seconds} s window; ` +
        `${cpus().length} cores, Node ${process.versions.node}\n`,
    );
    console.log('| figure | one process | two processes (cross) | ratio |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const [name, key] of [
      ['delivery p50', 'p50Ms'],
      ['delivery p95', 'p95Ms'],
      ['delivery p99', 'p99Ms'],
      ['edit → durable ack p50', 'ackP50Ms'],
      ['edit → durable ack p99', 'ackP99Ms'],
    ] as const)
      console.log(`| ${name} | ${fmt(single[key])} | ${fmt(cross[key])} | ${ratio(cross[key], single[key])} |`);
    console.log(`| deliveries measured | ${single.deliveries} | ${cross.deliveries} | |`);
    const met = single.p99Ms !== null && cross.p99Ms !== null && cross.p99Ms <= 3 * single.p99Ms;
    console.log(`\nTarget (cross-process delivery p99 ≤ 3× single-process p99): ${met ? 'met' : 'NOT met'}`);
    await mkdir('bench-results', { recursive: true });
    const file = path.join('bench-results', `scale-out-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    await writeFile(file, JSON.stringify({ readers, writers, rate, seconds, single, cross, met }, null, 2));
    console.log(`Written to ${file}`);
  } finally {
    await stopAll();
    await database.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
