import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.ts';

describe('loadConfig: trusted proxies and sign-up limits', () => {
  it('trusts no proxy and allows 100 sign-ups per hour per address by default', () => {
    const config = loadConfig({});
    expect(config.trustedProxies).toEqual([]);
    expect(config.signupsPerHourPerIp).toBe(100);
  });

  it('reads TRUSTED_PROXIES as addresses and CIDR ranges', () => {
    const config = loadConfig({ TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8, ::1', SIGNUPS_PER_HOUR_PER_IP: '7' });
    expect(config.trustedProxies.map(([address, bits]) => `${address.toString()}/${bits}`)).toEqual([
      '127.0.0.1/32',
      '10.0.0.0/8',
      '::1/128',
    ]);
    expect(config.signupsPerHourPerIp).toBe(7);
  });

  it('refuses entries that are not addresses or ranges, naming them', () => {
    expect(() => loadConfig({ TRUSTED_PROXIES: '127.0.0.1, nginx' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUSTED_PROXIES: 'nginx' })).toThrow(/TRUSTED_PROXIES: "nginx" is not an address/);
    expect(() => loadConfig({ SIGNUPS_PER_HOUR_PER_IP: '0' })).toThrow(/SIGNUPS_PER_HOUR_PER_IP/);
  });
});
