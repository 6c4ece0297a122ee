// Serves the built SvelteKit SPA: real files first, index.html for every other page path.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { AppEnv } from './context.ts';

export interface BuiltFrontEnd {
  indexHtml: string;
  /** CSP source expressions (without quotes) for the inline scripts SvelteKit puts in index.html. */
  scriptHashes: string[];
}

export function loadBuiltFrontEnd(staticDir: string | undefined): BuiltFrontEnd | undefined {
  if (!staticDir) return undefined;
  const indexPath = path.join(staticDir, 'index.html');
  if (!existsSync(indexPath)) return undefined;
  const indexHtml = readFileSync(indexPath, 'utf8');
  const scriptHashes = [...indexHtml.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (match) => `sha256-${createHash('sha256').update(match[1]!).digest('base64')}`,
  );
  return { indexHtml, scriptHashes };
}

export function staticRoutes(staticDir: string, frontEnd: BuiltFrontEnd) {
  const app = new Hono<AppEnv>();
  // Hashed file names never change content, so browsers may keep them for a year.
  app.use('/_app/immutable/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.use('*', serveStatic({ root: staticDir }));
  app.get('*', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(frontEnd.indexHtml);
  });
  return app;
}
