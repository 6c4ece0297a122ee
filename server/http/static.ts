// Serves the built SvelteKit SPA: real files first, index.html for every page path, and index.html with status 404
// for any other path (the app then shows its own error page, with a way back).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { projectPath } from '../project-root.ts';
import type { AppEnv } from './context.ts';
import { findPageRoutes, isPagePath, routePattern } from './page-routes.ts';

const routesDir = projectPath('src', 'routes');

export interface BuiltFrontEnd {
  indexHtml: string;
  /** CSP source expressions (without quotes) for the inline scripts SvelteKit puts in index.html. */
  scriptHashes: string[];
  /** The pages' path patterns; undefined (without the route sources) answers every path as a page. */
  pagePatterns: RegExp[] | undefined;
}

export function loadBuiltFrontEnd(staticDir: string | undefined): BuiltFrontEnd | undefined {
  if (!staticDir) return undefined;
  const indexPath = path.join(staticDir, 'index.html');
  if (!existsSync(indexPath)) return undefined;
  const indexHtml = readFileSync(indexPath, 'utf8');
  const scriptHashes = [...indexHtml.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (match) => `sha256-${createHash('sha256').update(match[1]!).digest('base64')}`,
  );
  const pagePatterns = findPageRoutes(routesDir)?.map(routePattern);
  return { indexHtml, scriptHashes, pagePatterns };
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
    const isPage = !frontEnd.pagePatterns || isPagePath(c.req.path, frontEnd.pagePatterns);
    return c.html(frontEnd.indexHtml, isPage ? 200 : 404);
  });
  return app;
}
