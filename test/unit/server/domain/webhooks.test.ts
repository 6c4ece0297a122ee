import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_DELAYS_MS,
  DELIVERY_ERRORS,
  isDelivered,
  maxAttempts,
  nextAttemptAt,
  shownDeliveryError,
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
  const production = { allowPrivateNetworks: false, ownAddresses: ['192.0.2.2', '8.8.4.4'] };

  it('takes public http(s) URLs only', () => {
    expect(webhookUrlError('https://hooks.example.com/lastmile', production)).toBeNull();
    expect(webhookUrlError('http://93.184.215.14:8080/x', production)).toBeNull();
    expect(webhookUrlError('ftp://example.com', production)).toBe('must be an http(s) URL');
    expect(webhookUrlError('not a url', production)).toMatch(/must be a URL/);
    expect(webhookUrlError('https://user:pw@example.com', production)).toMatch(/user name or password/);
  });

  it('refuses this server, local names and special-purpose addresses in any spelling, unless allowed', () => {
    const refused: [string, RegExp][] = [
      ['http://localhost:3000/x', /localhost names this server/],
      ['http://localhost.:3000/x', /names this server/],
      ['http://127.0.0.1/x', /127\.0\.0\.1 is loopback/],
      ['http://127.1/x', /127\.0\.0\.1 is loopback/],
      ['http://0x7f000001/x', /127\.0\.0\.1 is loopback/],
      ['http://0177.0.0.1/x', /127\.0\.0\.1 is loopback/],
      ['http://2130706433/x', /127\.0\.0\.1 is loopback/],
      ['http://[::1]/x', /loopback/],
      ['http://[::ffff:127.0.0.1]/x', /IPv4-mapped/],
      ['http://[::127.0.0.1]/x', /IPv4-compatible/],
      ['http://[64:ff9b::127.0.0.1]/x', /NAT64/],
      ['http://[2001:db8::1]/x', /documentation/],
      ['http://[fd00::1]/x', /unique-local/],
      ['http://10.1.2.3/x', /private-use/],
      ['http://169.254.169.254/latest/meta-data', /link-local/],
      ['http://192.168.0.10/x', /private-use/],
      ['http://192.0.2.77/x', /TEST-NET-1/],
      ['http://192.0.0.8/x', /IETF protocol assignments/],
      ['http://198.18.0.1/x', /benchmarking/],
      ['http://100.64.0.1/x', /shared address space/],
      ['http://224.0.0.1/x', /multicast/],
      ['http://255.255.255.255/x', /limited broadcast/],
      ['http://8.8.4.4/x', /8\.8\.4\.4 is an address of this server/],
      ['http://db.internal/x', /names this server or a local network/],
    ];
    for (const [url, reason] of refused) {
      expect(webhookUrlError(url, production), url).toMatch(/^must point at a public address/);
      expect(webhookUrlError(url, production), url).toMatch(reason);
    }
    expect(webhookUrlError('http://127.0.0.1:4000/x', { allowPrivateNetworks: true })).toBeNull();
  });

  it('shows only generic delivery errors, never a stored network error', () => {
    expect(shownDeliveryError(null)).toBeNull();
    expect(shownDeliveryError('The receiver answered 503')).toBe('The receiver answered 503');
    expect(shownDeliveryError('No answer within 10000 ms')).toBe('No answer within 10000 ms');
    expect(shownDeliveryError(DELIVERY_ERRORS.noPublicAddress)).toBe(DELIVERY_ERRORS.noPublicAddress);
    expect(shownDeliveryError('connect ECONNREFUSED 10.0.0.5:22')).toBe(DELIVERY_ERRORS.unreachable);
  });
});
