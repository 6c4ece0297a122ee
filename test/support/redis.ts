// Tests that need Redis: where it is, and whether it answers. They may skip on a laptop without one, never in CI.
import { createConnection } from 'node:net';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether something listens at the Redis address (within a second). */
export async function redisReachable(url = REDIS_URL): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Whether Redis is there; in CI its absence is a failure, not a skip. */
export async function requireRedisInCi(what: string): Promise<boolean> {
  const available = await redisReachable();
  if (process.env.CI && !available) throw new Error(`CI must provide Redis at ${REDIS_URL} for ${what}`);
  return available;
}
