// The scenarios of issue 9, each run the same way against every server: paced edits in one room, closed-loop
// maximum, many small rooms, idle connections, joining a long document, and rooms left after clients leave.
import type { BenchClient, Target } from './clients.ts';
import { connectRooms, destroyAll, isOpen, sleep } from './connect.ts';
import type { BenchEnv } from './env.ts';
import { DeliveryFlow, percentile, prepareBoard } from './flow.ts';
import type { ServerProcess, ServerSample } from './servers.ts';
import type { Figures } from './types.ts';

export interface Context {
  target: Target;
  server: ServerProcess;
  env: BenchEnv;
}

/** Before a memory baseline: the previous scenario's connections are closed and its rooms gone. */
const SETTLE_MS = 1500;

/** Runs the window after a warm-up, sampling the server and this process around it; `stop` ends the writers. */
async function measure(ctx: Context, flow: DeliveryFlow, stop: () => void, seconds: number) {
  await sleep(ctx.env.warmupSeconds * 1000);
  const before = await ctx.server.sample();
  // This process's CPU over exactly the window (a saturated event loop answers the server's sample late).
  const generatorBefore = process.cpuUsage();
  flow.startWindow();
  await sleep(seconds * 1000);
  const generator = process.cpuUsage(generatorBefore);
  const elapsed = flow.endWindow();
  const after = await ctx.server.sample();
  stop();
  // Edits sent in the window still arriving.
  await sleep(1000);
  // The server's acknowledgements of edits sent in the window (those of the window's last moments come later).
  const serverAck = [...after.serverAckMs, ...(await ctx.server.sample()).serverAckMs];
  return { elapsed, cpu: cpuFigures(before, after, flow.deliveries), generatorCpu: generator, serverAck };
}

function cpuFigures(before: ServerSample, after: ServerSample, deliveries: number): Figures {
  const per = (us: number) => (deliveries > 0 ? us / deliveries : null);
  return {
    serverCpuUsPerDelivery:
      after.treeCpuUs !== null && before.treeCpuUs !== null ? per(after.treeCpuUs - before.treeCpuUs) : null,
    nodeCpuUsPerDelivery: per(after.cpuUs - before.cpuUs),
  };
}

function deliveryFigures(
  flow: DeliveryFlow,
  elapsed: number,
  generator: NodeJS.CpuUsage,
  serverAck: number[],
): Figures {
  return {
    deliveriesPerSec: flow.deliveries / elapsed,
    p50Ms: percentile(flow.latencies, 50),
    p95Ms: percentile(flow.latencies, 95),
    p99Ms: percentile(flow.latencies, 99),
    ackP50Ms: percentile(flow.ackLatencies, 50),
    ackP99Ms: percentile(flow.ackLatencies, 99),
    serverAckP50Ms: serverAck.length > 0 ? percentile(serverAck, 50) : null,
    serverAckP99Ms: serverAck.length > 0 ? percentile(serverAck, 99) : null,
    generatorCpuPct: ((generator.user + generator.system) / 1e6 / elapsed) * 100,
  };
}

const closedBy = (clients: BenchClient[], code: number) =>
  clients.filter((client) => client.closes.includes(code)).length;

/** Writers edit at a steady rate (each with its own phase) until stopped. */
function pace(flow: DeliveryFlow, writers: { client: BenchClient; id: number }[], rate: number): () => void {
  const period = 1000 / rate;
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  for (const writer of writers) {
    const start = performance.now() + Math.random() * period;
    let count = 0;
    const tick = () => {
      if (stopped) return;
      if (isOpen(writer.client)) flow.edit(writer.client, writer.id);
      count += 1;
      timers.add(setTimeout(tick, Math.max(0, start + count * period - performance.now())));
    };
    timers.add(setTimeout(tick, start - performance.now()));
  }
  return () => {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
  };
}

export async function paced(ctx: Context, count: number): Promise<Figures> {
  const [room] = await ctx.target.createRooms(1);
  const [clients] = await connectRooms(ctx.target, [room!], count);
  await prepareBoard(clients!);
  const flow = new DeliveryFlow();
  clients!.forEach((client, id) => flow.receive(client, id));
  const writers = clients!.slice(0, Math.min(ctx.env.writers, count)).map((client, id) => ({ client, id }));
  if (ctx.target.kind === 'lastmile') for (const { client, id } of writers) flow.followAcks(client, id);
  const stop = pace(flow, writers, ctx.env.rate);
  const { elapsed, cpu, generatorCpu, serverAck } = await measure(ctx, flow, stop, ctx.env.seconds);
  const figures = {
    ...deliveryFigures(flow, elapsed, generatorCpu, serverAck),
    ...cpu,
    closed4429: closedBy(clients!, 4429),
  };
  destroyAll(clients!);
  return figures;
}

/**
 * The paced scenario's writers without pacing: each sends its next edit as soon as every other client has its
 * previous one.
 */
export async function closedLoop(ctx: Context, count: number): Promise<Figures> {
  const [room] = await ctx.target.createRooms(1);
  const [clients] = await connectRooms(ctx.target, [room!], count);
  await prepareBoard(clients!);
  const flow = new DeliveryFlow(false);
  clients!.forEach((client, id) => flow.receive(client, id));
  const writers = Math.min(ctx.env.writers, count);
  const outstanding = new Map<number, { seq: number; at: number }>();
  let stopped = false;
  let stalls = 0;
  const next = (id: number) => {
    const client = clients![id]!;
    if (stopped || !isOpen(client)) return;
    const receivers = clients!.filter((other, i) => i !== id && isOpen(other)).length;
    outstanding.set(id, { seq: flow.edit(client, id, receivers), at: performance.now() });
  };
  flow.onComplete = (writer, seq) => {
    if (outstanding.get(writer)?.seq === seq) setImmediate(() => next(writer));
  };
  // An edit some receiver will never get (it was disconnected) must not stop its writer for good.
  const watchdog = setInterval(() => {
    const now = performance.now();
    for (const [id, { seq, at }] of outstanding)
      if (now - at > 2000) {
        stalls += 1;
        flow.abandon(id, seq);
        next(id);
      }
  }, 250);
  for (let id = 0; id < writers; id++) next(id);
  const stop = () => {
    stopped = true;
    clearInterval(watchdog);
  };
  const { elapsed, cpu, generatorCpu } = await measure(ctx, flow, stop, ctx.env.closedSeconds);
  const figures = {
    deliveriesPerSec: flow.deliveries / elapsed,
    generatorCpuPct: ((generatorCpu.user + generatorCpu.system) / 1e6 / elapsed) * 100,
    ...cpu,
    closed4429: closedBy(clients!, 4429),
    stalls,
  };
  destroyAll(clients!);
  return figures;
}

/**
 * Many small rooms: one writer per room at the paced rate; memory per room, as the increase from the first half
 * of the rooms to all of them (the first half pays the fixed costs: code compiled on first use, pools).
 */
export async function manyRooms(ctx: Context): Promise<Figures> {
  const rooms = await ctx.target.createRooms(ctx.env.rooms);
  const half = Math.floor(rooms.length / 2);
  const perRoom = ctx.env.roomClients;
  const firstHalf = await connectRooms(ctx.target, rooms.slice(0, half), perRoom, 50);
  await sleep(SETTLE_MS);
  const before = await ctx.server.sample(true);
  const secondHalf = await connectRooms(ctx.target, rooms.slice(half), perRoom, 50, half * perRoom);
  await sleep(1000);
  const after = await ctx.server.sample(true);
  const byRoom = [...firstHalf, ...secondHalf];
  await Promise.all(byRoom.map((room) => prepareBoard(room)));
  const clients = byRoom.flat();
  const flow = new DeliveryFlow();
  clients.forEach((client, id) => flow.receive(client, id));
  const writers = byRoom.map((room, r) => ({ client: room[0]!, id: r * ctx.env.roomClients }));
  const stop = pace(flow, writers, ctx.env.rate);
  const { elapsed, cpu, generatorCpu, serverAck } = await measure(ctx, flow, stop, ctx.env.seconds);
  const figures = {
    ...deliveryFigures(flow, elapsed, generatorCpu, serverAck),
    ...cpu,
    heapPerRoomKB: heldBytes(before, after) / 1024 / (rooms.length - half),
    rssPerRoomKB: (after.rssBytes - before.rssBytes) / 1024 / (rooms.length - half),
  };
  destroyAll(clients);
  return figures;
}

/**
 * Idle connections in one room: heap and RSS each costs the server, as the increase from the first half of the
 * connections to all of them (the first half pays the fixed costs: code compiled on first use, the room).
 */
/** What the server holds more in `after` than in `before` (retained objects; heapUsed where not measured). */
function heldBytes(before: ServerSample, after: ServerSample): number {
  if (before.retainedBytes !== null && after.retainedBytes !== null) return after.retainedBytes - before.retainedBytes;
  return after.heapUsedBytes - before.heapUsedBytes;
}

export async function idle(ctx: Context): Promise<Figures> {
  const [room] = await ctx.target.createRooms(1);
  const half = Math.floor(ctx.env.idle / 2);
  // A first round that opens and closes as many connections warms the server's code paths, so that code compiled
  // on the way (hundreds of KB, at random moments) is not counted as what connections hold.
  destroyAll((await connectRooms(ctx.target, [room!], ctx.env.idle, 50)).flat());
  await sleep(2000);
  const [first] = await connectRooms(ctx.target, [room!], half, 50);
  // Awareness of every newcomer reaches everyone: let it settle.
  await sleep(2000);
  const before = await ctx.server.sample(true);
  const started = performance.now();
  const [second] = await connectRooms(ctx.target, [room!], ctx.env.idle - half, 50, half);
  const connectSeconds = (performance.now() - started) / 1000;
  await sleep(2000);
  const after = await ctx.server.sample(true);
  destroyAll([...first!, ...second!]);
  const added = ctx.env.idle - half;
  return {
    heapPerConnectionKB: heldBytes(before, after) / 1024 / added,
    rssPerConnectionKB: (after.rssBytes - before.rssBytes) / 1024 / added,
    connectSeconds,
  };
}
