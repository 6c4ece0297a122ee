import { describe, expect, it } from 'vitest';
import { parseTrustedProxies, resolveClientAddress } from '../../../../server/domain/client-address.ts';

const trusted = (list: string) => parseTrustedProxies(list).ranges;

describe('resolveClientAddress', () => {
  it('answers the peer and ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(resolveClientAddress('203.0.113.9', '198.51.100.1', [])).toBe('203.0.113.9');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(resolveClientAddress('203.0.113.9', '198.51.100.1', trusted('10.0.0.0/8'))).toBe('203.0.113.9');
  });

  it('takes the right-most hop that no trusted proxy wrote, so a forged left part proves nothing', () => {
    const proxies = trusted('127.0.0.1, 10.0.0.0/8');
    expect(resolveClientAddress('127.0.0.1', '198.51.100.1', proxies)).toBe('198.51.100.1');
    expect(resolveClientAddress('127.0.0.1', '1.2.3.4, 198.51.100.1, 10.1.2.3', proxies)).toBe('198.51.100.1');
  });

  it('stops at a malformed hop and answers the proxy that passed it on', () => {
    const proxies = trusted('127.0.0.1, 10.0.0.0/8');
    expect(resolveClientAddress('127.0.0.1', 'evil, 10.1.2.3', proxies)).toBe('10.1.2.3');
    expect(resolveClientAddress('127.0.0.1', '127.1', proxies)).toBe('127.0.0.1');
  });

  it('answers the left-most hop when every hop is a trusted proxy', () => {
    expect(resolveClientAddress('127.0.0.1', '10.0.0.5, 10.0.0.6', trusted('127.0.0.1, 10.0.0.0/8'))).toBe('10.0.0.5');
  });

  it('treats IPv4-mapped IPv6 peers and ranges as IPv4, and compacts IPv6', () => {
    expect(resolveClientAddress('::ffff:127.0.0.1', '198.51.100.1', trusted('127.0.0.0/8'))).toBe('198.51.100.1');
    expect(resolveClientAddress('::ffff:10.0.0.1', '198.51.100.1', trusted('::ffff:10.0.0.0/104'))).toBe(
      '198.51.100.1',
    );
    expect(resolveClientAddress('::ffff:203.0.113.9', undefined, [])).toBe('203.0.113.9');
    expect(resolveClientAddress('::1', '2001:db8:0:0:0:0:0:7', trusted('::1'))).toBe('2001:db8::7');
  });

  it('says unknown without a peer', () => {
    expect(resolveClientAddress(undefined, '198.51.100.1', trusted('0.0.0.0/0'))).toBe('unknown');
  });
});

describe('parseTrustedProxies', () => {
  it('reads addresses and CIDR ranges and names the entries that are neither', () => {
    const { ranges, invalid } = parseTrustedProxies(' 127.0.0.1 , 10.0.0.0/8,::1, fd00::/8, nginx, 10.0.0.0/33,');
    expect(ranges.map(([address, bits]) => `${address.toString()}/${bits}`)).toEqual([
      '127.0.0.1/32',
      '10.0.0.0/8',
      '::1/128',
      'fd00::/8',
    ]);
    expect(invalid).toEqual(['nginx', '10.0.0.0/33']);
  });
});
