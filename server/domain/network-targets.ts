// Which addresses a request the server makes on someone's behalf (a webhook) may go to: globally routable unicast
// only, never one of this server's own addresses nor any range of IANA's IPv4 and IPv6 special-purpose address
// registries (loopback, private, link-local, documentation, benchmarking, translation, multicast…). Pure: the
// caller resolves host names and lists its network interfaces; this module decides.
import ipaddr from 'ipaddr.js';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * IANA's IPv4 and IPv6 Special-Purpose Address Registries (2025), with multicast, the deprecated site-local and
 * IPv4-compatible IPv6 ranges added. A range inside a larger one is listed first, for its more precise name.
 * ipaddr.js's `range()` names most of these too and is checked after this table, but it has no name for
 * ::/96 (`::7f00:1` would pass as unicast) nor 100:0:0:1::/64, and it does not say that IPv6 outside 2000::/3
 * is unassigned; both are checked here.
 */
const SPECIAL_PURPOSE_RANGES: readonly (readonly [cidr: string, name: string])[] = [
  ['0.0.0.0/8', '"this network"'],
  ['10.0.0.0/8', 'private-use'],
  ['100.64.0.0/10', 'shared address space (carrier-grade NAT)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local (cloud metadata)'],
  ['172.16.0.0/12', 'private-use'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.0.2.0/24', 'documentation (TEST-NET-1)'],
  ['192.31.196.0/24', 'AS112'],
  ['192.52.193.0/24', 'AMT'],
  ['192.88.99.0/24', 'deprecated 6to4 relay anycast'],
  ['192.168.0.0/16', 'private-use'],
  ['192.175.48.0/24', 'AS112 direct delegation'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation (TEST-NET-2)'],
  ['203.0.113.0/24', 'documentation (TEST-NET-3)'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'limited broadcast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::ffff:0:0/96', 'IPv4-mapped'],
  ['::/96', 'deprecated IPv4-compatible'],
  ['::ffff:0:0:0/96', 'IPv4-translated'],
  ['64:ff9b::/96', 'IPv4/IPv6 translation (NAT64)'],
  ['64:ff9b:1::/48', 'local-use IPv4/IPv6 translation'],
  ['100::/64', 'discard-only'],
  ['100:0:0:1::/64', 'dummy prefix'],
  ['2001::/32', 'Teredo'],
  ['2001:2::/48', 'benchmarking'],
  ['2001::/23', 'IETF protocol assignments'],
  ['2001:db8::/32', 'documentation'],
  ['2002::/16', '6to4'],
  ['2620:4f:8000::/48', 'AS112 direct delegation'],
  ['3fff::/20', 'documentation'],
  ['5f00::/16', 'segment routing SIDs'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'deprecated site-local'],
  ['ff00::/8', 'multicast'],
];

interface NamedRange {
  cidr: string;
  name: string;
  range: [IpAddress, number];
}

const RANGES: readonly NamedRange[] = SPECIAL_PURPOSE_RANGES.map(([cidr, name]) => ({
  cidr,
  name,
  range: ipaddr.parseCIDR(cidr),
}));

/** IANA's IPv6 address space: global unicast is 2000::/3 only, everything else is unassigned or special. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

const inRange = (address: IpAddress, [base, bits]: [IpAddress, number]) =>
  address.kind() === base.kind() && address.match(base, bits);

/**
 * The address `text` spells, in any spelling inet_aton or a URL host accepts: dotted decimal, octal (`0177.0.0.1`),
 * hex (`0x7f000001`), short forms (`127.1`), a single number (`2130706433`), IPv6 with or without brackets and a
 * zone (`fe80::1%eth0`), IPv4-in-IPv6 (`::ffff:127.0.0.1`). Null when it is not an address (a host name).
 */
export function parseIpAddress(text: string): IpAddress | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (!ipaddr.isValid(bare)) return null;
  try {
    return ipaddr.parse(bare);
  } catch {
    return null;
  }
}

/** The special-purpose range `address` is in, as "name (cidr)", or null for a globally routable unicast address. */
export function specialPurposeRange(address: IpAddress): string | null {
  const named = RANGES.find(({ range }) => inRange(address, range));
  if (named) return `${named.name} (${named.cidr})`;
  const known = address.range();
  if (known !== 'unicast') return known;
  if (address.kind() === 'ipv6' && !inRange(address, GLOBAL_UNICAST_V6)) return 'not global unicast (outside 2000::/3)';
  return null;
}

/** The same address whatever its spelling, IPv4-mapped IPv6 as its IPv4 and without an IPv6 zone. */
function canonical(address: IpAddress): string {
  const plain = address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
  return `${plain.kind()}:${plain.toNormalizedString().replace(/%.*$/, '')}`;
}

/**
 * Why a request must not go to `address`, or null when it may. `ownAddresses` are this server's interface
 * addresses (as os.networkInterfaces() lists them): a public address of the server itself is refused too, since
 * a request to it reaches services that listen on all interfaces.
 */
export function addressProblem(address: IpAddress | string, ownAddresses: readonly string[]): string | null {
  const parsed = typeof address === 'string' ? parseIpAddress(address) : address;
  if (!parsed) return `${String(address)} is not an IP address`;
  const shown = parsed.toString();
  const key = canonical(parsed);
  const isOwn = ownAddresses.some((own) => {
    const mine = parseIpAddress(own);
    return mine !== null && canonical(mine) === key;
  });
  const range = specialPurposeRange(parsed);
  if (isOwn)
    return range ? `${shown} is an address of this server and ${range}` : `${shown} is an address of this server`;
  return range ? `${shown} is ${range}` : null;
}

/** Names that mean this machine or a local network, never a public receiver (RFC 6761, RFC 6762, RFC 8375). */
const LOCAL_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);
const LOCAL_SUFFIXES = ['.localhost', '.localdomain', '.local', '.internal', '.home.arpa'];

/**
 * Why a URL's host must not be a target, judged from the host alone (an address literal, or a name that can only
 * be local), or null when it may be, in which case it still has to resolve to allowed addresses only.
 */
export function hostProblem(hostname: string, ownAddresses: readonly string[]): string | null {
  const host = hostname.toLowerCase().replace(/\.+$/, '');
  const address = parseIpAddress(host);
  if (address) return addressProblem(address, ownAddresses);
  if (host === '' || LOCAL_NAMES.has(host) || LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix)))
    return `${hostname} names this server or a local network`;
  return null;
}
