// Which paths are pages of the front end, from the route folders of src/routes (SvelteKit's file-system router):
// the server answers the rest with the same app shell but status 404, and the app shows its error page.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const PAGE_FILES = new Set(['+page.svelte', '+page.ts', '+page.js']);

/** A SvelteKit route id (`/(app)/orgs/[orgId]`, `/docs/[...rest]`, `/[[lang]]/about`) as a path pattern. */
export function routePattern(routeId: string): RegExp {
  const segments = routeId.split('/').filter((segment) => segment && !/^\(.+\)$/.test(segment));
  let pattern = '';
  for (const segment of segments) {
    if (/^\[\.\.\.[^\]]+\]$/.test(segment)) pattern += '(?:/.*)?';
    else if (/^\[\[[^\]]+\]\]$/.test(segment)) pattern += '(?:/[^/]+)?';
    else
      pattern += `/${segment
        .split(/(\[[^\]]+\])/)
        .map((part) => (/^\[[^\]]+\]$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('')}`;
  }
  return new RegExp(`^${pattern || '/'}/?$`);
}

/** Whether a request path is one of the pages. */
export function isPagePath(pathname: string, patterns: readonly RegExp[]): boolean {
  return patterns.some((pattern) => pattern.test(pathname));
}

/** The page route ids under a routes folder, or undefined when there is none (a build shipped without sources). */
export function findPageRoutes(routesDir: string): string[] | undefined {
  if (!existsSync(routesDir)) return undefined;
  const ids: string[] = [];
  const visit = (dir: string, id: string) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    if (entries.some((entry) => entry.isFile() && PAGE_FILES.has(entry.name))) ids.push(id || '/');
    for (const entry of entries) if (entry.isDirectory()) visit(path.join(dir, entry.name), `${id}/${entry.name}`);
  };
  visit(routesDir, '');
  return ids;
}
