import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, PASSWORD, signUp, uniqueEmail } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ LOGIN_MAX_ATTEMPTS: '3', LOGIN_WINDOW_SECONDS: '60' });
});
afterAll(() => server?.stop());

describe('sign up', () => {
  it('creates the account, signs in with an HttpOnly SameSite=Lax cookie and answers /api/me', async () => {
    const client = new ApiClient(server.origin);
    const email = uniqueEmail('Ana');
    const signup = await client.post('/api/auth/signup', { email, password: PASSWORD, name: '  Ana Souza ' });
    expect(signup.status).toBe(201);
    expect(signup.body.user).toMatchObject({ email, name: 'Ana Souza' });
    const cookie = signup.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^lastmile_session=[a-z2-7]{32};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');

    const me = await client.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user: signup.body.user, organizations: [] });
  });

  it('stores only the SHA-256 of the session token and an argon2id password hash', async () => {
    const { client, user } = await signUp(server.origin);
    const token = client.cookie!.split('=')[1]!;
    const sessions = await server.db.sql`select id from sessions where user_id = ${user.id}`;
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.id).toMatch(/^[0-9a-f]{64}$/);
    expect(sessions[0]!.id).not.toContain(token);
    const [row] = await server.db.sql`select password_hash from users where id = ${user.id}`;
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a second account with the same email in another case', async () => {
    const email = uniqueEmail('dup');
    await signUp(server.origin, 'First', email);
    const again = await new ApiClient(server.origin).post('/api/auth/signup', {
      email: email.toUpperCase(),
      password: PASSWORD,
      name: 'Second',
    });
    expect(again.status).toBe(409);
    expect(again.body.issues).toEqual([{ path: 'email', message: 'is already registered' }]);
  });

  it('answers invalid input with 400 naming each field and writes nothing', async () => {
    const client = new ApiClient(server.origin);
    const response = await client.post('/api/auth/signup', { email: 'not-an-email', password: 'short', name: '' });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('Invalid request');
    expect(response.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['email', 'name', 'password']);
    const { count } = (await server.db.sql`select count(*)::int as count from users where email = 'not-an-email'`)[0]!;
    expect(count).toBe(0);
  });

  it('answers malformed JSON with a 400 JSON error and no stack trace', async () => {
    const response = await new ApiClient(server.origin).post('/api/auth/signup', '{"email":');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'Malformed request body: expected JSON', issues: [] });
  });
});

describe('log in', () => {
  it('signs in with the right password', async () => {
    const email = uniqueEmail();
    await signUp(server.origin, 'Login Person', email);
    const client = new ApiClient(server.origin);
    const login = await client.post('/api/auth/login', { email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.user.email).toBe(email);
    expect((await client.get('/api/me')).body.user.email).toBe(email);
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const email = uniqueEmail();
    await signUp(server.origin, 'Someone', email);
    const wrong = await new ApiClient(server.origin).post('/api/auth/login', { email, password: 'not the password' });
    const unknown = await new ApiClient(server.origin).post('/api/auth/login', {
      email: uniqueEmail('nobody'),
      password: 'not the password',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error).toBe('Invalid email or password');
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  it('throttles repeated failures per email with 429 and Retry-After, even for the right password', async () => {
    const email = uniqueEmail('throttled');
    await signUp(server.origin, 'Target', email);
    const client = new ApiClient(server.origin);
    for (let i = 0; i < 3; i++) {
      expect((await client.post('/api/auth/login', { email, password: `wrong-${i}-password` })).status).toBe(401);
    }
    const blocked = await client.post('/api/auth/login', { email, password: PASSWORD });
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(blocked.body.error).toMatch(/Too many sign-in attempts/);
  });
});

describe('log out', () => {
  it('invalidates the session in the database so the old cookie is rejected', async () => {
    const { client, user } = await signUp(server.origin);
    const oldCookie = client.cookie;
    const logout = await client.post('/api/auth/logout');
    expect(logout.status).toBe(204);
    expect(client.cookie).toBeUndefined();
    const { count } = (await server.db.sql`select count(*)::int as count from sessions where user_id = ${user.id}`)[0]!;
    expect(count).toBe(0);

    const replay = new ApiClient(server.origin);
    replay.cookie = oldCookie;
    const me = await replay.get('/api/me');
    expect(me.status).toBe(401);
    expect(me.body.error).toBe('Sign in to continue');
  });
});

describe('sessions', () => {
  it('slides the expiry forward when less than half of the 30 days remain, and expires after 30 idle days', async () => {
    const { client, user } = await signUp(server.origin);
    const day = 24 * 60 * 60 * 1000;
    const [before] = await server.db.sql`select expires_at from sessions where user_id = ${user.id}`;

    server.clock.advance(16 * day);
    const renewed = await client.get('/api/me');
    expect(renewed.status).toBe(200);
    expect(renewed.headers.getSetCookie()[0]).toMatch(/^lastmile_session=/);
    const [after] = await server.db.sql`select expires_at from sessions where user_id = ${user.id}`;
    expect(after!.expiresAt.getTime() - before!.expiresAt.getTime()).toBeGreaterThanOrEqual(16 * day - 60_000);

    server.clock.advance(31 * day);
    expect((await client.get('/api/me')).status).toBe(401);
    const { count } = (await server.db.sql`select count(*)::int as count from sessions where user_id = ${user.id}`)[0]!;
    expect(count).toBe(0);
    server.clock.advance(-47 * day);
  });

  it('rejects a made-up cookie', async () => {
    const client = new ApiClient(server.origin);
    client.cookie = 'lastmile_session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    expect((await client.get('/api/me')).status).toBe(401);
  });
});

describe('cross-site requests', () => {
  it('refuses a cookie-authenticated state change from another origin', async () => {
    const { client } = await signUp(server.origin);
    const forged = await client.request(
      'POST',
      '/api/orgs',
      { name: 'Forged Org' },
      { origin: 'https://evil.example' },
    );
    expect(forged.status).toBe(403);
    expect(forged.body.error).toMatch(/Cross-site request refused/);
    const { count } = (
      await server.db.sql`select count(*)::int as count from organizations where name = 'Forged Org'`
    )[0]!;
    expect(count).toBe(0);
  });

  it('refuses a cookie-authenticated state change without an Origin header', async () => {
    const { client } = await signUp(server.origin);
    const noOrigin = new ApiClient(server.origin, { sendOrigin: false });
    noOrigin.cookie = client.cookie;
    expect((await noOrigin.post('/api/orgs', { name: 'No Origin Org' })).status).toBe(403);
  });

  it('refuses a login posted from another site', async () => {
    const email = uniqueEmail();
    await signUp(server.origin, 'Victim', email);
    const response = await new ApiClient(server.origin).request(
      'POST',
      '/api/auth/login',
      { email, password: PASSWORD },
      { origin: 'https://evil.example' },
    );
    expect(response.status).toBe(403);
  });
});
