// Pages that need the width of the screen (the review room, the dependency map); others read better narrower.
export function isWidePage(pathname: string): boolean {
  return pathname.startsWith('/reviews/') || /^\/orgs\/[^/]+\/map\/?$/.test(pathname);
}
