import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const inlineScript = 'window.__boot = 1;';
let db: TestDatabase;
let staticDir: string;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  db = await createTestDatabase();
  staticDir = await mkdtemp(path.join(tmpdir(), 'lastmile-static-'));
  await mkdir(path.join(staticDir, '_app/immutable'), { recursive: true });
  await writeFile(path.join(staticDir, 'index.html'), `<html><body><script>${inlineScript}</script></body></html>`);
  await writeFile(path.join(staticDir, '_app/immutable/app.js'), 'export {};');
  app = createApp({
    sql: db.sql,
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    logger: createLogger('silent'),
    staticDir,
  });
});
afterAll(async () => {
  await rm(staticDir, { recursive: true, force: true });
  await db?.drop();
});

describe('the built front end', () => {
  it('serves index.html for page paths, with a CSP that allows exactly its inline script', async () => {
    const response = await app.request('/orgs/123/members');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(inlineScript);
    const hash = createHash('sha256').update(inlineScript).digest('base64');
    expect(response.headers.get('content-security-policy')).toContain(`script-src 'self' 'sha256-${hash}'`);
  });

  it('serves hashed assets with a long cache lifetime', async () => {
    const response = await app.request('/_app/immutable/app.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('answers paths no page has with the app shell and status 404, so the app shows its error page', async () => {
    const response = await app.request('/orgs/123/no-such-page');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain(inlineScript);
    expect((await app.request('/no-such-page')).status).toBe(404);
    expect((await app.request('/reviews/abc/replay')).status).toBe(200);
  });

  it('does not answer unknown API paths with the page', async () => {
    const response = await app.request('/api/does-not-exist');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
  });
});
