import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_DELAYS_MS,
  isDelivered,
  isPrivateAddress,
  maxAttempts,
  nextAttemptAt,
  signWebhook,
  verifyWebhookSignature,
  webhookUrlError,
} from '../../../../server/domain/webhooks.ts';

describe('webhook signatures', () => {
  const body = JSON.stringify({ event: 'action.recorded', data: { title: 'Pilot ✓' } });

  it('is HMAC-SHA256 of "<timestamp>.<body>" with the secret, as node:crypto computes it', () => {
    const expected = createHmac('sha256', 'whsec_x').update(`1700000000.${body}`).digest('hex');
    expect(signWebhook('whsec_x', 1700000000, body)).toBe(`sha256=${expected}`);
  });

  it('verifies a fresh signature and refuses a changed body, another secret or an old timestamp', () => {
    const now = new Date(1700000100_000);
    const signature = signWebhook('s3cret', 1700000000, body);
    const request = { timestamp: '1700000000', signature, body };
    expect(verifyWebhookSignature('s3cret', request, now)).toBe(true);
    expect(verifyWebhookSignature('s3cret', { ...request, body: `${body} ` }, now)).toBe(false);
    expect(verifyWebhookSignature('other', request, now)).toBe(false);
    expect(verifyWebhookSignature('s3cret', { ...request, timestamp: '1700000001' }, now)).toBe(false);
    expect(verifyWebhookSignature('s3cret', request, new Date(1700000000_000 + 301_000))).toBe(false);
    expect(verifyWebhookSignature('s3cret', { ...request, signature: null }, now)).toBe(false);
  });
});

describe('webhook retries', () => {
  const policy = { delaysMs: DEFAULT_RETRY_DELAYS_MS };
  const at = new Date('2026-01-01T00:00:00Z');

  it('backs off 1 s, 5 s, 30 s, 2 min, 10 min, then gives up after the sixth attempt', () => {
    const delays = [1, 2, 3, 4, 5].map((attempt) => nextAttemptAt(attempt, at, policy)!.getTime() - at.getTime());
    expect(delays).toEqual([1_000, 5_000, 30_000, 120_000, 600_000]);
    expect(nextAttemptAt(6, at, policy)).toBeNull();
    expect(maxAttempts(policy)).toBe(6);
  });

  it('follows a configured schedule', () => {
    expect(nextAttemptAt(1, at, { delaysMs: [10] })!.getTime()).toBe(at.getTime() + 10);
    expect(nextAttemptAt(2, at, { delaysMs: [10] })).toBeNull();
  });

  it('counts only 2xx answers as delivered', () => {
    expect([200, 201, 204, 299].every(isDelivered)).toBe(true);
    expect([0, 199, 301, 404, 500].some(isDelivered)).toBe(false);
  });
});

describe('webhook targets (SSRF)', () => {
  const production = { allowPrivateNetworks: false };

  it('takes public http(s) URLs only', () => {
    expect(webhookUrlError('https://hooks.example.com/lastmile', production)).toBeNull();
    expect(webhookUrlError('http://203.0.113.9:8080/x', production)).toBeNull();
    expect(webhookUrlError('ftp://example.com', production)).toBe('must be an http(s) URL');
    expect(webhookUrlError('not a url', production)).toMatch(/must be a URL/);
    expect(webhookUrlError('https://user:pw@example.com', production)).toMatch(/user name or password/);
  });

  it('refuses this server and private networks unless allowed', () => {
    for (const url of [
      'http://localhost:3000/x',
      'http://127.0.0.1/x',
      'http://10.1.2.3/x',
      'http://169.254.169.254/latest/meta-data',
      'http://192.168.0.10/x',
      'http://[::1]/x',
      'http://[fd00::1]/x',
      'http://[::ffff:127.0.0.1]/x',
      'http://db.internal/x',
    ])
      expect(webhookUrlError(url, production), url).toMatch(/private network/);
    expect(webhookUrlError('http://127.0.0.1:4000/x', { allowPrivateNetworks: true })).toBeNull();
  });

  it('classifies addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '172.31.255.255',
      '100.64.0.1',
      '0.0.0.0',
      '::',
      '::1',
      'fe80::1',
      'fc00::2',
      '::ffff:10.0.0.1',
      '::ffff:7f00:1',
      '224.0.0.1',
    ])
      expect(isPrivateAddress(address), address).toBe(true);
    for (const address of ['8.8.8.8', '172.32.0.1', '203.0.113.9', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      expect(isPrivateAddress(address), address).toBe(false);
  });
});
