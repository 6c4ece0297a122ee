// The one place a request's client address is read (sign-in, sign-up, share links and sync upgrades count by it).
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { resolveClientAddress } from '../domain/client-address.ts';
import type { AppEnv } from '../http/context.ts';

/** The client's address: the peer, or the right-most hop of X-Forwarded-For not written by a TRUSTED_PROXIES one. */
export function clientAddress(c: Context): string {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    // Not a Node socket (app.request() in a test): no peer to speak of.
  }
  const trusted = (c as Context<AppEnv>).var.deps.config.trustedProxies;
  return resolveClientAddress(peer, c.req.header('x-forwarded-for'), trusted);
}
