// Posts one webhook request without letting it reach this server or a non-public network (SSRF). The host is
// resolved once and every address it resolves to is judged (domain/network-targets.ts); the socket then connects
// to exactly those addresses through a lookup that never asks DNS again, so a rebinding between the check and
// the connection changes nothing, while the Host header and the TLS server name stay the URL's. Redirects are not
// followed; the response body is read and discarded. A failure is a DeliveryFailure with a kind the delivery log
// may show and a detail for the server's log only.
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { addressProblem } from '../../domain/network-targets.ts';
import { webhookUrlError } from '../../domain/webhooks.ts';

export interface SendOptions {
  timeoutMs: number;
  /** Skip the address rules (development and tests, which post to receivers on 127.0.0.1). */
  allowPrivateNetworks: boolean;
  /** Every address of a host name; the system resolver when omitted (tests answer for names they make up). */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
  /** This server's own addresses; its network interfaces' when omitted. */
  ownAddresses?: () => readonly string[];
}

/** refused: the URL or an address it resolves to is not allowed; unresolved: the name has no address. */
export type FailureKind = 'refused' | 'unresolved' | 'unreachable' | 'timeout';

export class DeliveryFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    /** For the server's log: may name internal addresses and network errors. */
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'DeliveryFailure';
  }
}

/** Every address of every interface of this machine, loopback included. */
export function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => entry.address));
}

const systemResolve = (hostname: string) => dnsLookup(hostname, { all: true, order: 'verbatim' });

/** A lookup for net.connect that answers with addresses already resolved and checked, never with DNS. */
export function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : 0;
    const usable = addresses.filter((entry) => family === 0 || entry.family === family);
    if (usable.length === 0) {
      const error: NodeJS.ErrnoException = new Error('no checked address of the requested family');
      error.code = 'ENOTFOUND';
      return callback(error, '', 0);
    }
    if (options.all) callback(null, [...usable]);
    else callback(null, usable[0]!.address, usable[0]!.family);
  };
}

/** The addresses to connect to: the literal itself, or every address of the name; each one judged. */
async function resolveTarget(target: URL, options: SendOptions): Promise<LookupAddress[]> {
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: LookupAddress[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await (options.resolve ?? systemResolve)(host);
    } catch (error) {
      throw new DeliveryFailure('unresolved', `${host} did not resolve: ${(error as Error).message}`);
    }
    if (addresses.length === 0) throw new DeliveryFailure('unresolved', `${host} has no address`);
  }
  if (options.allowPrivateNetworks) return addresses;
  const own = (options.ownAddresses ?? interfaceAddresses)();
  for (const { address } of addresses) {
    const problem = addressProblem(address, own);
    // One bad address refuses the name: the connection could otherwise be steered to it.
    if (problem) throw new DeliveryFailure('refused', `${host} resolves to a refused address: ${problem}`);
  }
  return addresses;
}

/** Resolves with the response status; rejects with a DeliveryFailure. */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: SendOptions,
): Promise<number> {
  const own = (options.ownAddresses ?? interfaceAddresses)();
  const problem = webhookUrlError(url, { allowPrivateNetworks: options.allowPrivateNetworks, ownAddresses: own });
  if (problem) throw new DeliveryFailure('refused', `The webhook URL ${problem}`);
  const target = new URL(url);
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const timedOut = new Promise<never>((_, reject) =>
    deadline.addEventListener('abort', () =>
      reject(new DeliveryFailure('timeout', `no answer within ${options.timeoutMs} ms`)),
    ),
  );
  timedOut.catch(() => {}); // only raced below; a rejection nobody awaits must not crash the process
  const addresses = await Promise.race([resolveTarget(target, { ...options, ownAddresses: () => own }), timedOut]);
  const isHttps = target.protocol === 'https:';
  const hostIsName = isIP(target.hostname.replace(/^\[(.*)\]$/, '$1')) === 0;
  const sent = new Promise<number>((resolve, reject) => {
    const requestOptions: https.RequestOptions = {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'Lastmile-Webhooks/1',
        ...headers,
      },
      lookup: pinnedLookup(addresses),
      signal: deadline,
      // The certificate is checked against the URL's name, whichever checked address the socket went to.
      ...(isHttps && hostIsName ? { servername: target.hostname } : {}),
    };
    const request = (isHttps ? https : http).request(target, requestOptions, (response) => {
      response.on('error', (error) => reject(failureOf(error, options.timeoutMs)));
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.resume();
    });
    request.on('error', (error) => reject(failureOf(error, options.timeoutMs)));
    request.end(body);
  });
  return Promise.race([sent, timedOut]);
}

function failureOf(error: Error, timeoutMs: number): DeliveryFailure {
  if (error instanceof DeliveryFailure) return error;
  if (error.name === 'AbortError' || error.name === 'TimeoutError')
    return new DeliveryFailure('timeout', `no answer within ${timeoutMs} ms`);
  const code = (error as NodeJS.ErrnoException).code;
  return new DeliveryFailure('unreachable', code ? `${code}: ${error.message}` : error.message);
}
