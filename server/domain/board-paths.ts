// Paths into the board's Y.Doc as the permission table writes them (`items.<itemId>.notes[]`): parsing, printing,
// and matching a concrete path against a rule's pattern.

/** A path as the sync layer resolves it: map keys, and `[]` for the content of a text or array. */
export type BoardPath = readonly string[];
export const CONTENT_SEGMENT = '[]';

type Matcher = { any: string } | { keys: ReadonlySet<string> } | { key: string };

/** A rule's path compiled for matching: `<name>` is any key, `{a,b}` one of these keys, a trailing `[]` content. */
export type PathPattern = readonly Matcher[];

export function compilePathPattern(path: string): PathPattern {
  const content = path.endsWith(CONTENT_SEGMENT);
  const segments = (content ? path.slice(0, -CONTENT_SEGMENT.length) : path).split('.');
  const matchers: Matcher[] = segments.map((segment) => {
    if (segment.startsWith('<') && segment.endsWith('>')) return { any: segment.slice(1, -1) };
    if (segment.startsWith('{') && segment.endsWith('}')) return { keys: new Set(segment.slice(1, -1).split(',')) };
    return { key: segment };
  });
  if (content) matchers.push({ key: CONTENT_SEGMENT });
  return matchers;
}

export function matchesPathPattern(pattern: PathPattern, path: BoardPath): boolean {
  if (pattern.length !== path.length) return false;
  return pattern.every((matcher, index) => {
    const segment = path[index]!;
    if ('any' in matcher) return segment !== CONTENT_SEGMENT;
    if ('keys' in matcher) return matcher.keys.has(segment);
    return matcher.key === segment;
  });
}

/** `items.a.notes[]` → ['items', 'a', 'notes', '[]']. Keys containing dots cannot be written this way. */
export function parseBoardPath(path: string): BoardPath {
  const content = path.endsWith(CONTENT_SEGMENT);
  const segments = (content ? path.slice(0, -CONTENT_SEGMENT.length) : path).split('.');
  return content ? [...segments, CONTENT_SEGMENT] : segments;
}

export function formatBoardPath(path: BoardPath): string {
  return path.map((segment, index) => (segment === CONTENT_SEGMENT || index === 0 ? segment : `.${segment}`)).join('');
}
