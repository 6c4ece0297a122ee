import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPageRoutes, isPagePath, routePattern } from '../../../../server/http/page-routes.ts';

describe('page route patterns', () => {
  it('drop groups and match one segment per parameter', () => {
    const pattern = routePattern('/(app)/orgs/[orgId]/metrics/[metricId]');
    expect(pattern.test('/orgs/1/metrics/2')).toBe(true);
    expect(pattern.test('/orgs/1/metrics/2/')).toBe(true);
    expect(pattern.test('/orgs/1/metrics')).toBe(false);
    expect(pattern.test('/orgs/1/metrics/2/3')).toBe(false);
  });

  it('match the root, rest and optional parameters, and escape literal characters', () => {
    expect(routePattern('/').test('/')).toBe(true);
    expect(routePattern('/(app)').test('/')).toBe(true);
    expect(routePattern('/docs/[...rest]').test('/docs/a/b')).toBe(true);
    expect(routePattern('/docs/[...rest]').test('/docs')).toBe(true);
    expect(routePattern('/[[lang]]/about').test('/about')).toBe(true);
    expect(routePattern('/[[lang]]/about').test('/de/about')).toBe(true);
    expect(routePattern('/file.txt').test('/fileatxt')).toBe(false);
    expect(routePattern('/[id=uuid]').test('/x')).toBe(true);
  });
});

describe("the front end's pages", () => {
  const routes = findPageRoutes(path.resolve('src/routes'))!.map(routePattern);

  it('include every page a person opens', () => {
    for (const page of [
      '/',
      '/login',
      '/orgs/new',
      '/orgs/abc/reviews',
      '/reviews/abc/replay',
      '/actions/abc',
      '/commitments',
      '/shared/token/replay',
    ])
      expect(isPagePath(page, routes), page).toBe(true);
  });

  it('leave out paths no page has', () => {
    for (const path of ['/nope', '/orgs', '/orgs/abc/nope', '/reviews/abc/replay/extra'])
      expect(isPagePath(path, routes), path).toBe(false);
  });

  it('are unknown without the route sources', () => {
    expect(findPageRoutes('/no/such/dir')).toBeUndefined();
  });
});
