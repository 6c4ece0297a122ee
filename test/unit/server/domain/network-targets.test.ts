import { describe, expect, it } from 'vitest';
import {
  addressProblem,
  hostProblem,
  parseIpAddress,
  specialPurposeRange,
} from '../../../../server/domain/network-targets.ts';

const own = ['127.0.0.1', '::1', '192.0.2.2', 'fd00::2', 'fe80::fc:ff:fe00:1%eth0', '8.8.4.4'];

describe('network targets', () => {
  it('reads every spelling of an address as the address it is', () => {
    const spellings: [string, string][] = [
      ['127.0.0.1', '127.0.0.1'],
      ['127.1', '127.0.0.1'],
      ['127.0.1', '127.0.0.1'],
      ['2130706433', '127.0.0.1'],
      ['0x7f000001', '127.0.0.1'],
      ['0x7f.0.0.1', '127.0.0.1'],
      ['0177.0.0.1', '127.0.0.1'],
      ['017700000001', '127.0.0.1'],
      ['0', '0.0.0.0'],
      ['[::1]', '::1'],
      ['0:0:0:0:0:0:0:1', '::1'],
      ['::ffff:127.0.0.1', '::ffff:7f00:1'],
      ['[::ffff:7f00:1]', '::ffff:7f00:1'],
      ['0:0:0:0:0:ffff:7f00:1', '::ffff:7f00:1'],
      ['fe80::1%eth0', 'fe80::1%eth0'],
    ];
    for (const [spelling, address] of spellings) expect(parseIpAddress(spelling)?.toString(), spelling).toBe(address);
    for (const name of ['example.com', 'localhost', '1.2.3.4.5', '256.0.0.1', ''])
      expect(parseIpAddress(name), name).toBeNull();
  });

  it('refuses every special-purpose range, whatever the spelling', () => {
    const refused: [string, RegExp][] = [
      ['127.0.0.1', /loopback/],
      ['127.1', /loopback/],
      ['0x7f000001', /loopback/],
      ['0177.0.0.1', /loopback/],
      ['2130706433', /loopback/],
      ['0.0.0.0', /this network/],
      ['0', /this network/],
      ['10.1.2.3', /private-use/],
      ['172.16.5.4', /private-use/],
      ['172.31.255.255', /private-use/],
      ['192.168.0.10', /private-use/],
      ['100.64.0.1', /shared address space/],
      ['100.127.255.254', /shared address space/],
      ['169.254.169.254', /link-local/],
      ['192.0.0.8', /IETF protocol assignments \(192\.0\.0\.0\/24\)/],
      ['192.0.0.170', /IETF protocol assignments/],
      ['192.0.2.77', /documentation \(TEST-NET-1\)/],
      ['198.51.100.1', /TEST-NET-2/],
      ['203.0.113.9', /TEST-NET-3/],
      ['198.18.0.1', /benchmarking \(198\.18\.0\.0\/15\)/],
      ['198.19.255.255', /benchmarking/],
      ['192.88.99.1', /6to4 relay/],
      ['192.31.196.1', /AS112/],
      ['192.175.48.1', /AS112/],
      ['192.52.193.1', /AMT/],
      ['224.0.0.1', /multicast/],
      ['239.255.255.250', /multicast/],
      ['240.0.0.1', /reserved/],
      ['255.255.255.255', /limited broadcast/],
      ['::', /unspecified/],
      ['::1', /loopback/],
      ['[0:0:0:0:0:0:0:1]', /loopback/],
      ['::ffff:127.0.0.1', /IPv4-mapped/],
      ['::ffff:7f00:1', /IPv4-mapped/],
      ['::ffff:8.8.8.8', /IPv4-mapped/],
      ['::7f00:1', /IPv4-compatible/],
      ['::ffff:0:7f00:1', /IPv4-translated/],
      ['64:ff9b::7f00:1', /NAT64/],
      ['64:ff9b::127.0.0.1', /NAT64/],
      ['64:ff9b::808:808', /NAT64/],
      ['64:ff9b:1::1', /local-use IPv4\/IPv6 translation/],
      ['100::1', /discard-only/],
      ['100:0:0:1::1', /dummy prefix/],
      ['2001::1', /Teredo/],
      ['2001:2::1', /benchmarking/],
      ['2001:10::1', /IETF protocol assignments/],
      ['2001:db8::1', /documentation \(2001:db8::\/32\)/],
      ['2002:7f00:1::1', /6to4/],
      ['2620:4f:8000::1', /AS112/],
      ['3fff::1', /documentation/],
      ['5f00::1', /segment routing/],
      ['fc00::1', /unique-local/],
      ['fd00::1234', /unique-local/],
      ['fe80::1', /link-local/],
      ['fe80::1%eth0', /link-local/],
      ['fec0::1', /site-local/],
      ['ff02::1', /multicast/],
      ['4000::1', /not global unicast/],
    ];
    for (const [address, reason] of refused) expect(addressProblem(address, []), address).toMatch(reason);
  });

  it('allows globally routable unicast addresses', () => {
    for (const address of ['8.8.8.8', '1.1', '93.184.215.14', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111'])
      expect(addressProblem(address, []), address).toBeNull();
    expect(specialPurposeRange(parseIpAddress('9.9.9.9')!)).toBeNull();
  });

  it("refuses this server's own addresses, public ones too, in any spelling", () => {
    expect(addressProblem('8.8.4.4', own)).toBe('8.8.4.4 is an address of this server');
    expect(addressProblem('0x08080404', own)).toBe('8.8.4.4 is an address of this server');
    expect(addressProblem('192.0.2.2', own)).toBe(
      '192.0.2.2 is an address of this server and documentation (TEST-NET-1) (192.0.2.0/24)',
    );
    expect(addressProblem('::ffff:127.0.0.1', own)).toMatch(/address of this server and IPv4-mapped/);
    expect(addressProblem('fe80::fc:ff:fe00:1', own)).toMatch(/address of this server/);
    expect(addressProblem('fd00:0:0:0:0:0:0:2', own)).toMatch(/address of this server/);
    expect(addressProblem('8.8.8.8', own)).toBeNull();
  });

  it('refuses local host names and address literals in URL hosts', () => {
    for (const host of ['localhost', 'LOCALHOST', 'localhost.', 'api.localhost', 'printer.local', 'db.internal'])
      expect(hostProblem(host, []), host).toMatch(/names this server or a local network/);
    expect(hostProblem('[::1]', [])).toMatch(/loopback/);
    expect(hostProblem('127.0.0.1.', [])).toMatch(/loopback/);
    expect(hostProblem('192.0.2.2', own)).toMatch(/address of this server/);
    for (const host of ['hooks.example.com', 'localhost.example.com', '8.8.8.8', '[2606:4700:4700::1111]'])
      expect(hostProblem(host, own), host).toBeNull();
  });
});
