// The benchmark's table (each figure per server and Lastmile ÷ the best reference), issue 9's targets, the
// results as JSON, and the change since the previous JSON.
import type { BenchEnv } from './env.ts';
import { REFERENCE_KINDS, type Figures, type RunResult, type ServerKind } from './types.ts';

interface Row {
  label: string;
  scenario: string;
  figure: string;
  better: 'lower' | 'higher';
  digits?: number;
  lastmileOnly?: boolean;
  /** Context for reading other figures (load on the generator, refused connections): no ratio. */
  info?: boolean;
}

export function scenarioKeys(env: BenchEnv) {
  return {
    paced: (n: number) => `paced-${n}`,
    closed: (n: number) => `closed-${n}`,
    rooms: `rooms-${env.rooms}x${env.roomClients}`,
    idle: `idle-${env.idle}`,
    join: `join-${env.joinUpdates}`,
    unload: `unload-${env.unloadRooms}`,
  };
}

export function tableRows(env: BenchEnv): Row[] {
  const key = scenarioKeys(env);
  const w = `${env.writers} writers at ${env.rate}/s`;
  return [
    ...env.pacedClients.flatMap((n): Row[] => [
      {
        label: `${n} clients, ${w}: deliveries/s`,
        scenario: key.paced(n),
        figure: 'deliveriesPerSec',
        better: 'higher',
        digits: 0,
      },
      { label: `${n} clients: delivery p50 (ms)`, scenario: key.paced(n), figure: 'p50Ms', better: 'lower' },
      { label: `${n} clients: delivery p95 (ms)`, scenario: key.paced(n), figure: 'p95Ms', better: 'lower' },
      { label: `${n} clients: delivery p99 (ms)`, scenario: key.paced(n), figure: 'p99Ms', better: 'lower' },
      {
        label: `${n} clients: edit → durable ack p50 (ms)`,
        scenario: key.paced(n),
        figure: 'ackP50Ms',
        better: 'lower',
        lastmileOnly: true,
      },
      {
        label: `${n} clients: edit → durable ack p99 (ms)`,
        scenario: key.paced(n),
        figure: 'ackP99Ms',
        better: 'lower',
        lastmileOnly: true,
      },
      {
        label: `${n} clients: … of which in the server (queued → ack sent) p50 (ms)`,
        scenario: key.paced(n),
        figure: 'serverAckP50Ms',
        better: 'lower',
        lastmileOnly: true,
      },
      {
        label: `${n} clients: … of which in the server (queued → ack sent) p99 (ms)`,
        scenario: key.paced(n),
        figure: 'serverAckP99Ms',
        better: 'lower',
        lastmileOnly: true,
      },
      {
        label: `${n} clients: server CPU µs per delivery`,
        scenario: key.paced(n),
        figure: 'serverCpuUsPerDelivery',
        better: 'lower',
      },
      {
        label: `${n} clients: load generator CPU %`,
        scenario: key.paced(n),
        figure: 'generatorCpuPct',
        better: 'lower',
        digits: 0,
        info: true,
      },
    ]),
    ...env.closedClients.flatMap((n): Row[] => [
      {
        label: `${n} clients (${Math.min(n, env.writers)} writers), closed loop: max deliveries/s`,
        scenario: key.closed(n),
        figure: 'deliveriesPerSec',
        better: 'higher',
        digits: 0,
      },
      {
        label: `${n} clients, closed loop: server CPU µs per delivery`,
        scenario: key.closed(n),
        figure: 'serverCpuUsPerDelivery',
        better: 'lower',
      },
      {
        label: `${n} clients, closed loop: load generator CPU %`,
        scenario: key.closed(n),
        figure: 'generatorCpuPct',
        better: 'lower',
        digits: 0,
        info: true,
      },
      {
        label: `${n} clients, closed loop: connections closed 4429`,
        scenario: key.closed(n),
        figure: 'closed4429',
        better: 'lower',
        digits: 0,
        info: true,
      },
    ]),
    {
      label: `${env.rooms} rooms × ${env.roomClients}: deliveries/s`,
      scenario: key.rooms,
      figure: 'deliveriesPerSec',
      better: 'higher',
      digits: 0,
    },
    {
      label: `${env.rooms} rooms × ${env.roomClients}: delivery p99 (ms)`,
      scenario: key.rooms,
      figure: 'p99Ms',
      better: 'lower',
    },
    {
      label: `${env.rooms} rooms × ${env.roomClients}: heap per room (KB)`,
      scenario: key.rooms,
      figure: 'heapPerRoomKB',
      better: 'lower',
    },
    {
      label: `${env.rooms} rooms × ${env.roomClients}: RSS per room (KB)`,
      scenario: key.rooms,
      figure: 'rssPerRoomKB',
      better: 'lower',
    },
    {
      label: `${env.idle} idle connections: heap per connection (KB)`,
      scenario: key.idle,
      figure: 'heapPerConnectionKB',
      better: 'lower',
    },
    {
      label: `${env.idle} idle connections: RSS per connection (KB)`,
      scenario: key.idle,
      figure: 'rssPerConnectionKB',
      better: 'lower',
    },
    {
      label: `join a doc of ${env.joinUpdates} updates, live room, p50 (ms)`,
      scenario: key.join,
      figure: 'warmJoinP50Ms',
      better: 'lower',
    },
    {
      label: `… of which the websocket handshake (sign-in checks for Lastmile), p50 (ms)`,
      scenario: key.join,
      figure: 'warmHandshakeP50Ms',
      better: 'lower',
    },
    {
      label: `… of which the document sync after the handshake, p50 (ms)`,
      scenario: key.join,
      figure: 'warmSyncP50Ms',
      better: 'lower',
    },
    {
      label: `join a doc of ${env.joinUpdates} updates, unloaded room, p50 (ms)`,
      scenario: key.join,
      figure: 'coldJoinP50Ms',
      better: 'lower',
      lastmileOnly: true,
    },
    {
      label: `rooms in memory after ${env.unloadRooms} single-client rooms leave`,
      scenario: key.unload,
      figure: 'roomsLeft',
      better: 'lower',
      digits: 0,
    },
  ];
}

const NAMES: Record<ServerKind, string> = {
  lastmile: 'Lastmile',
  'y-websocket-server': '@y/websocket-server',
  hocuspocus: 'Hocuspocus',
};

const value = (result: RunResult, row: Row, kind: ServerKind) => result[row.scenario]?.[kind]?.[row.figure] ?? null;

function format(n: number | null, digits = 1): string {
  if (n === null) return '—';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Lastmile ÷ the best reference (the lowest or highest, as the figure prefers). */
export function ratio(result: RunResult, row: Row): number | null {
  const own = value(result, row, 'lastmile');
  const references = REFERENCE_KINDS.map((kind) => value(result, row, kind)).filter((v): v is number => v !== null);
  if (own === null || references.length === 0 || row.lastmileOnly || row.info) return null;
  const best = row.better === 'lower' ? Math.min(...references) : Math.max(...references);
  if (best === 0) return own === 0 ? 1 : null;
  return own / best;
}

export function table(result: RunResult, env: BenchEnv): string {
  const kinds = env.servers;
  const lines = [
    `| figure | ${kinds.map((kind) => NAMES[kind]).join(' | ')} | Lastmile ÷ best reference |`,
    `| --- | ${kinds.map(() => '---:').join(' | ')} | ---: |`,
  ];
  for (const row of tableRows(env)) {
    if (!result[row.scenario]) continue;
    const cells = kinds.map((kind) =>
      row.lastmileOnly && kind !== 'lastmile' ? 'n/a' : format(value(result, row, kind), row.digits),
    );
    const r = ratio(result, row);
    lines.push(`| ${row.label} | ${cells.join(' | ')} | ${r === null ? '—' : `${r.toFixed(2)}×`} |`);
  }
  return lines.join('\n');
}

/** Issue 9's targets, each met, not met, or not measured. */
export function targets(result: RunResult, env: BenchEnv): string[] {
  const key = scenarioKeys(env);
  const get = (scenario: string, kind: ServerKind, figure: string) => result[scenario]?.[kind]?.[figure] ?? null;
  const check = (name: string, own: number | null, bar: number | null, met: (own: number, bar: number) => boolean) =>
    own === null || bar === null
      ? `- ${name}: not measured`
      : `- ${name}: ${met(own, bar) ? 'MET' : 'NOT MET'} (${format(own, 1)} vs ${format(bar, 1)})`;
  const largest = Math.max(...env.pacedClients);
  const largestClosed = Math.max(...env.closedClients);
  const p99 = (kind: ServerKind) => get(key.paced(largest), kind, 'p99Ms');
  const saturated = env.servers.some((kind) => (get(key.closed(largestClosed), kind, 'generatorCpuPct') ?? 0) >= 90);
  return [
    check(
      `${largest}-client paced delivery p99 ≤ 1.0× @y/websocket-server's`,
      p99('lastmile'),
      p99('y-websocket-server'),
      (a, b) => a <= b,
    ) + busyGeneratorNote(result, key.paced(largest)),
    check(
      `closed-loop ${largestClosed}-client deliveries/s ≥ 1.0× Hocuspocus's`,
      get(key.closed(largestClosed), 'lastmile', 'deliveriesPerSec'),
      get(key.closed(largestClosed), 'hocuspocus', 'deliveriesPerSec'),
      (a, b) => a >= b,
    ) +
      (saturated ? ' — inconclusive: the load generator was saturated (≥ 90% CPU), so this measures the clients' : ''),
    check(
      `edit → durable ack p99 ≤ 50 ms at ${largest} clients`,
      get(key.paced(largest), 'lastmile', 'ackP99Ms'),
      50,
      (a, b) => a <= b,
    ) + ackNote(result, key.paced(largest)),
    check(
      `join of a ${env.joinUpdates}-update review ≤ 0.5× @y/websocket-server's (live room)`,
      get(key.join, 'lastmile', 'warmJoinP50Ms'),
      get(key.join, 'y-websocket-server', 'warmJoinP50Ms'),
      (a, b) => a <= 0.5 * b,
    ) + joinNote(result, key.join),
    check(
      "heap per idle connection ≤ 1.0× @y/websocket-server's",
      get(key.idle, 'lastmile', 'heapPerConnectionKB'),
      get(key.idle, 'y-websocket-server', 'heapPerConnectionKB'),
      (a, b) => a <= b,
    ) + heapNote(result, key.idle),
    check(
      'no room left in memory after its clients leave',
      get(key.unload, 'lastmile', 'roomsLeft'),
      0,
      (a) => a === 0,
    ),
    '- two processes with Redis, cross-process p99 ≤ 3× single-process: measured by `npm run bench:scale-out` (next in `npm run bench`)',
  ];
}

/** When the load generator was busy for every server, the delivery tails are mostly its own queueing. */
function busyGeneratorNote(result: RunResult, scenario: string): string {
  const lastmile = result[scenario]?.lastmile;
  const reference = result[scenario]?.['y-websocket-server'];
  const own = lastmile?.p99Ms ?? null;
  const bar = reference?.p99Ms ?? null;
  const busy = Math.min(lastmile?.generatorCpuPct ?? 0, reference?.generatorCpuPct ?? 0);
  if (own === null || bar === null || own <= bar || busy < 75) return '';
  return ` — the load generator was at ≥ ${busy.toFixed(0)}% CPU for both servers, so these tails are mostly the clients' own queueing; compare runs`;
}

/** What an idle connection holds beyond ws's own objects, when that is more than the reference holds. */
function heapNote(result: RunResult, scenario: string): string {
  const own = result[scenario]?.lastmile?.heapPerConnectionKB ?? null;
  const bar = result[scenario]?.['y-websocket-server']?.heapPerConnectionKB ?? null;
  if (own === null || bar === null || own <= bar) return '';
  return (
    ' — besides ws’s objects Lastmile keeps one Connection per socket (who, rights, rate limit, presence ids) and ' +
    'Node’s cached peer address, read for the per-address connection limits the references do not have'
  );
}

/**
 * Edit → ack is measured by the clients, so it includes the load generator's own queueing (it also decodes every
 * delivery of 200 clients). The server's part is measured inside it: say which side the time is on.
 */
function ackNote(result: RunResult, scenario: string): string {
  const figures = result[scenario]?.lastmile;
  const server = figures?.serverAckP99Ms ?? null;
  const total = figures?.ackP99Ms ?? null;
  if (server === null || total === null || total <= 50) return '';
  const generator = figures?.generatorCpuPct ?? null;
  return (
    ` — of which ${server.toFixed(1)} ms p99 in the server (queued for commit → acknowledgement sent); the rest is ` +
    `the way to and from the clients${generator === null ? '' : `, in a load generator at ${generator.toFixed(0)}% CPU`}`
  );
}

/**
 * A join is a websocket handshake and then the document's sync. When the reference's handshake alone takes more
 * than half its join, no server can join in half its time: say so, with the part a server controls.
 */
function joinNote(result: RunResult, scenario: string): string {
  const part = (kind: ServerKind, figure: string) => result[scenario]?.[kind]?.[figure] ?? null;
  const join = part('y-websocket-server', 'warmJoinP50Ms');
  const handshake = part('y-websocket-server', 'warmHandshakeP50Ms');
  const sync = part('lastmile', 'warmSyncP50Ms');
  const referenceSync = part('y-websocket-server', 'warmSyncP50Ms');
  if (join === null || handshake === null || sync === null || referenceSync === null || handshake <= join / 2)
    return '';
  return (
    ` — unreachable here: the reference's handshake alone (${handshake.toFixed(1)} ms, no sign-in) is more than ` +
    `half its join; the document sync after the handshake is ${(sync / referenceSync).toFixed(2)}× the reference's`
  );
}

/** Lastmile's figures and ratios now against a previous run's. */
export function changes(previous: RunResult, current: RunResult, env: BenchEnv): string {
  const lines = [
    '| figure | Lastmile before | now | change | ratio before | now |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of tableRows(env)) {
    const before = value(previous, row, 'lastmile');
    const now = value(current, row, 'lastmile');
    if (before === null || now === null) continue;
    const change = before === 0 ? '—' : `${(((now - before) / before) * 100).toFixed(0)}%`;
    const ratioBefore = ratio(previous, row);
    const ratioNow = ratio(current, row);
    lines.push(
      `| ${row.label} | ${format(before, row.digits)} | ${format(now, row.digits)} | ${change} | ${ratioBefore === null ? '—' : ratioBefore.toFixed(2) + '×'} | ${ratioNow === null ? '—' : ratioNow.toFixed(2) + '×'} |`,
    );
  }
  return lines.join('\n');
}

/** Per scenario, server and figure: the median over runs (ignoring runs where it was not measured). */
export function medianOf(runs: RunResult[]): RunResult {
  const result: RunResult = {};
  for (const run of runs)
    for (const [scenario, servers] of Object.entries(run))
      for (const [kind, figures] of Object.entries(servers) as [ServerKind, Figures][]) {
        const target = ((result[scenario] ??= {})[kind] ??= {});
        for (const figure of Object.keys(figures)) {
          const values = runs
            .map((r) => r[scenario]?.[kind]?.[figure])
            .filter((v): v is number => typeof v === 'number')
            .sort((a, b) => a - b);
          target[figure] = values.length === 0 ? null : values[Math.floor((values.length - 1) / 2)]!;
        }
      }
  return result;
}
