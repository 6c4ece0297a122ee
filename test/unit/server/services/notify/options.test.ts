import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../../server/config.ts';
import { loadNotifyOptions } from '../../../../../server/services/notify/options.ts';

describe('notification options', () => {
  it('refuses private webhook targets unless told otherwise, whatever NODE_ENV says', () => {
    expect(loadNotifyOptions({ NODE_ENV: 'production' }).allowPrivateNetworks).toBe(false);
    expect(loadNotifyOptions({}).allowPrivateNetworks).toBe(false);
    expect(
      loadNotifyOptions({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }).allowPrivateNetworks,
    ).toBe(true);
    expect(loadNotifyOptions({ NODE_ENV: 'test' }).allowPrivateNetworks).toBe(false);
    expect(loadNotifyOptions({ NODE_ENV: 'development' }).allowPrivateNetworks).toBe(false);
    expect(loadNotifyOptions({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }).allowPrivateNetworks).toBe(true);
  });

  it('reads the retry schedule, timeout and scan interval', () => {
    const options = loadNotifyOptions({
      WEBHOOK_RETRY_DELAYS_MS: '10,20',
      WEBHOOK_TIMEOUT_MS: '500',
      NOTIFY_SCAN_INTERVAL_SECONDS: '5',
    });
    expect(options).toMatchObject({ retryDelaysMs: [10, 20], timeoutMs: 500, scanIntervalMs: 5000 });
    expect(loadNotifyOptions({}).retryDelaysMs).toEqual([1000, 5000, 30000, 120000, 600000]);
  });

  it('fails fast on a bad value', () => {
    expect(() => loadNotifyOptions({ WEBHOOK_RETRY_DELAYS_MS: '1s,5s' })).toThrow(ConfigError);
    expect(() => loadNotifyOptions({ WEBHOOK_TIMEOUT_MS: '0' })).toThrow(/WEBHOOK_TIMEOUT_MS/);
  });
});
