// Who is on the other end of a request: the peer, or, when the peer is a trusted proxy, the right-most hop of
// X-Forwarded-For that no trusted proxy wrote. Every per-address limit (sign-in, sign-up, share links, sync
// upgrades) keys on this one answer.
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Parsed TRUSTED_PROXIES: address ranges whose X-Forwarded-For is believed. */
export type TrustedProxies = readonly (readonly [Address, number])[];

/** Parses a comma-separated list of addresses and CIDR ranges; `invalid` lists the entries that are neither. */
export function parseTrustedProxies(list: string): { ranges: TrustedProxies; invalid: string[] } {
  const ranges: [Address, number][] = [];
  const invalid: string[] = [];
  for (const entry of list
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    if (entry.includes('/')) {
      if (ipaddr.isValidCIDR(entry)) {
        const [address, bits] = ipaddr.parseCIDR(entry);
        ranges.push([normalize(address), address.kind() === 'ipv6' && isMapped(address) ? bits - 96 : bits]);
      } else invalid.push(entry);
      continue;
    }
    const address = parseHop(entry);
    if (address) ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    else invalid.push(entry);
  }
  return { ranges, invalid };
}

function isMapped(address: Address): boolean {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress();
}

/** IPv4-mapped IPv6 (`::ffff:10.0.0.1`, as a dual-stack socket reports IPv4 peers) is the IPv4 address. */
function normalize(address: Address): Address {
  return isMapped(address) ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

/** Only plain dotted quads and IPv6: ipaddr.js's lenient IPv4 forms (`127.1`, hex, octal) are not addresses here. */
function parseHop(text: string): Address | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (ipaddr.IPv6.isValid(text)) return normalize(ipaddr.IPv6.parse(text));
  return undefined;
}

function isTrusted(address: Address, trusted: TrustedProxies): boolean {
  return trusted.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits));
}

/**
 * The client's address. The peer is believed; its X-Forwarded-For only when the peer is a trusted proxy, and then
 * read from the right (each proxy appends what it saw), stopping at the first hop that is not a trusted proxy:
 * everything left of it was written by the client and proves nothing. A malformed hop stops the walk at the
 * proxy that passed it on.
 */
export function resolveClientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: TrustedProxies,
): string {
  const peerAddress = peer ? parseHop(peer) : undefined;
  if (!peerAddress) return peer ?? 'unknown';
  let client = peerAddress;
  if (!forwardedFor || !isTrusted(client, trusted)) return client.toString();
  const hops = forwardedFor.split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseHop(hops[i]!.trim());
    if (!hop) break;
    client = hop;
    if (!isTrusted(hop, trusted)) break;
  }
  return client.toString();
}
