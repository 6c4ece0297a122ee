// Security review issue 26: sign-in throttling that cannot lock the owner out, one client-address rule behind
// trusted proxies (sign-in, sign-up, share links, sync upgrades), throttled sign-up and the password policy.
// Addresses are told to the server through X-Forwarded-For from 127.0.0.1, the trusted proxy here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, PASSWORD, uniqueEmail } from '../support/client.ts';
import { reviewFixture } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let proxied: TestServer;
let direct: TestServer;
beforeAll(async () => {
  [proxied, direct] = await Promise.all([
    startTestServer({
      TRUSTED_PROXIES: '127.0.0.1',
      LOGIN_MAX_ATTEMPTS: '3',
      LOGIN_WINDOW_SECONDS: '600',
      SIGNUPS_PER_HOUR_PER_IP: '4',
      SYNC_UPGRADES_PER_MINUTE_PER_IP: '3',
    }),
    startTestServer({ LOGIN_MAX_ATTEMPTS: '3', LOGIN_WINDOW_SECONDS: '600' }),
  ]);
});
afterAll(() => Promise.all([proxied?.stop(), direct?.stop()]));

let lastAddress = 0;
/** A new client address in TEST-NET-2 (198.51.100.0/24), one per call. */
const newAddress = () => `198.51.100.${++lastAddress}`;

function post(server: TestServer, address: string, path: string, body: unknown) {
  return new ApiClient(server.origin).request('POST', path, body, { 'x-forwarded-for': address });
}

async function signUpFrom(server: TestServer, address: string, email = uniqueEmail(), name = 'Test User') {
  const response = await post(server, address, '/api/auth/signup', { email, password: PASSWORD, name });
  expect(response.status).toBe(201);
  return email;
}

const logIn = (server: TestServer, address: string, email: string, password: string) =>
  post(server, address, '/api/auth/login', { email, password });

describe('sign-in throttling', () => {
  it("lets the owner in with the right password from another address while an attacker's address waits", async () => {
    const email = await signUpFrom(proxied, newAddress());
    const attacker = newAddress();
    for (let i = 0; i < 3; i++) expect((await logIn(proxied, attacker, email, `guess-${i}-password`)).status).toBe(401);
    // The attacker's pair waits, even with the right password …
    expect((await logIn(proxied, attacker, email, PASSWORD)).status).toBe(429);
    // … and the owner, elsewhere, is not locked out.
    const owner = await logIn(proxied, newAddress(), email, PASSWORD);
    expect(owner.status).toBe(200);
    expect(owner.body.user.email).toBe(email);
  });

  it('backs off exponentially per email and address, and the right password after the wait starts afresh', async () => {
    const email = await signUpFrom(proxied, newAddress());
    const address = newAddress();
    const retryAfter = async (password: string) => {
      const response = await logIn(proxied, address, email, password);
      return response.status === 429 ? Number(response.headers.get('retry-after')) : response.status;
    };
    for (let i = 0; i < 3; i++) expect(await retryAfter('wrong password here')).toBe(401);
    expect(await retryAfter('wrong password here')).toBe(1);
    proxied.clock.advance(1000);
    expect(await retryAfter('wrong password here')).toBe(401);
    expect(await retryAfter('wrong password here')).toBe(2);
    proxied.clock.advance(2000);
    expect(await retryAfter('wrong password here')).toBe(401);
    expect(await retryAfter(PASSWORD)).toBe(4);
    proxied.clock.advance(4000);
    expect(await retryAfter(PASSWORD)).toBe(200);
    // A success forgets the pair's failures: the next wrong password is free again.
    expect(await retryAfter('wrong password here')).toBe(401);
    expect(await retryAfter(PASSWORD)).toBe(200);
  });

  it('caps the wait at LOGIN_WINDOW_SECONDS', async () => {
    const email = await signUpFrom(proxied, newAddress());
    const address = newAddress();
    let wait = 0;
    for (let i = 0; i < 40; i++) {
      const response = await logIn(proxied, address, email, 'wrong password here');
      if (response.status === 429) {
        wait = Number(response.headers.get('retry-after'));
        proxied.clock.advance(wait * 1000);
      }
    }
    expect(wait).toBe(600);
  });

  it('limits one address trying many accounts (ten times the per-pair budget)', async () => {
    const address = newAddress();
    for (let i = 0; i < 30; i++)
      expect((await logIn(proxied, address, uniqueEmail('sprayed'), 'wrong password here')).status).toBe(401);
    const blocked = await logIn(proxied, address, uniqueEmail('sprayed'), 'wrong password here');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toMatch(/Too many sign-in attempts/);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const email = uniqueEmail();
    expect(
      (await post(direct, newAddress(), '/api/auth/signup', { email, password: PASSWORD, name: 'D' })).status,
    ).toBe(201);
    // Each attempt claims another address; without TRUSTED_PROXIES they all come from 127.0.0.1.
    for (let i = 0; i < 3; i++)
      expect((await logIn(direct, newAddress(), email, 'wrong password here')).status).toBe(401);
    expect((await logIn(direct, newAddress(), email, PASSWORD)).status).toBe(429);
  });
});

describe('the one client-address rule elsewhere', () => {
  it('counts sync upgrade attempts per forwarded address', async () => {
    const { review } = await reviewFixture(proxied.origin);
    const attempt = (address: string) =>
      fetch(`${proxied.origin}/sync/${review.id}`, {
        headers: { origin: proxied.origin, 'x-forwarded-for': address },
      }).then((response) => response.status);
    const busy = newAddress();
    expect([await attempt(busy), await attempt(busy), await attempt(busy)]).toEqual([401, 401, 401]);
    expect(await attempt(busy)).toBe(429);
    expect(await attempt(newAddress())).toBe(401);
  });

  it('counts share-link guesses per forwarded address', async () => {
    const guess = (address: string) =>
      fetch(`${proxied.origin}/api/shared/${'a'.repeat(32)}`, { headers: { 'x-forwarded-for': address } }).then(
        (response) => response.status,
      );
    const guesser = newAddress();
    for (let i = 0; i < 30; i++) expect(await guess(guesser)).toBe(404);
    expect(await guess(guesser)).toBe(429);
    expect(await guess(newAddress())).toBe(404);
  });
});

describe('sign-up', () => {
  it('throttles sign-ups per address, a registered email included, with 429 and Retry-After', async () => {
    const address = newAddress();
    const taken = await signUpFrom(proxied, address);
    await signUpFrom(proxied, address);
    const again = await post(proxied, address, '/api/auth/signup', { email: taken, password: PASSWORD, name: 'X' });
    expect(again.status).toBe(409);
    await signUpFrom(proxied, address);
    // The fifth attempt of the hour: refused before anything is looked up, so it tells nothing about the email.
    const blocked = await post(proxied, address, '/api/auth/signup', { email: taken, password: PASSWORD, name: 'X' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.body.error).toMatch(/Too many sign-ups/);
    await signUpFrom(proxied, newAddress());
    proxied.clock.advance(60 * 60_000);
    await signUpFrom(proxied, address);
  });

  it('refuses a common or personal password with 400 naming the field and zxcvbn’s warning, and writes nothing', async () => {
    const email = uniqueEmail('ana.souza');
    for (const password of ['password1234', 'qwertyuiop123', `${email.split('@')[0]}!`, 'Ana Souza 2024']) {
      const response = await post(proxied, newAddress(), '/api/auth/signup', { email, password, name: 'Ana Souza' });
      expect(response.status).toBe(400);
      expect(response.body.issues).toHaveLength(1);
      expect(response.body.issues[0].path).toBe('password');
      expect(response.body.issues[0].message).toMatch(/^is too easy to guess: \S/);
    }
    const common = await post(proxied, newAddress(), '/api/auth/signup', {
      email,
      password: 'password1234',
      name: 'Ana Souza',
    });
    expect(common.body.issues[0].message).toBe('is too easy to guess: This is similar to a commonly used password.');
    const { count } = (await proxied.db.sql`select count(*)::int as count from users where email = ${email}`)[0]!;
    expect(count).toBe(0);
    expect(
      (await post(proxied, newAddress(), '/api/auth/signup', { email, password: PASSWORD, name: 'Ana Souza' })).status,
    ).toBe(201);
  });
});
