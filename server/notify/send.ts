// Posts one webhook request. The target's host is resolved here and every address it resolves to is checked,
// and the connection goes to exactly the checked address (no second lookup an attacker could rebind). No
// redirects are followed; the response body is read and discarded.
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress, webhookUrlError } from '../domain/webhooks.ts';

export interface SendOptions {
  timeoutMs: number;
  allowPrivateNetworks: boolean;
}

export class RefusedTarget extends Error {}

const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((entry) => isPrivateAddress(entry.address));
    if (refused || addresses.length === 0)
      return callback(
        new RefusedTarget(`${hostname} resolves to a private network address (${refused?.address ?? 'none'})`),
        '',
        0,
      );
    if (options.all) (callback as unknown as (e: null, all: typeof addresses) => void)(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/** Resolves with the response status; rejects on a refused target, a network error or the timeout. */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: SendOptions,
): Promise<number> {
  const problem = webhookUrlError(url, { allowPrivateNetworks: options.allowPrivateNetworks });
  if (problem) return Promise.reject(new RefusedTarget(`The webhook URL ${problem}`));
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Lastmile-Webhooks/1',
          ...headers,
        },
        lookup: options.allowPrivateNetworks ? undefined : guardedLookup,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        response.on('error', reject);
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.resume();
      },
    );
    request.on('error', (error) =>
      reject(error.name === 'AbortError' ? new Error(`No answer within ${options.timeoutMs} ms`) : error),
    );
    request.end(body);
  });
}
