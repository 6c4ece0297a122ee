// Connecting benchmark clients in batches, and small timing helpers.
import type { BenchClient, Target } from './clients.ts';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const isOpen = (client: BenchClient) => client.provider.wsconnected;

/** Connects `count` clients to each room, a batch at a time, and waits for their first sync. */
export async function connectRooms(
  target: Target,
  rooms: string[],
  count: number,
  batch = 25,
  firstId = 0,
): Promise<BenchClient[][]> {
  const all = rooms.map(() => [] as BenchClient[]);
  const jobs = rooms.flatMap((room, r) => Array.from({ length: count }, (_, i) => ({ room, r, i })));
  for (let start = 0; start < jobs.length; start += batch) {
    const clients = jobs.slice(start, start + batch).map(({ room, r, i }) => {
      const client = target.connect(room, firstId + r * count + i);
      all[r]!.push(client);
      return client;
    });
    await withTimeout(Promise.all(clients.map((client) => client.synced)), 60_000, 'clients to sync');
  }
  return all;
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function destroyAll(clients: BenchClient[]): void {
  for (const client of clients) client.destroy();
}
