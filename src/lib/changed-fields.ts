// What an edit form sends: only the fields the person changed, so a PATCH never writes back values it merely
// displayed (someone else may have changed them meanwhile).

/** The fields of `edited` whose value differs from `original` (compared as JSON), or null when none does. */
export function changedFields<T extends Record<string, unknown>>(original: T, edited: T): Partial<T> | null {
  const changed = Object.fromEntries(
    Object.entries(edited).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(original[key])),
  ) as Partial<T>;
  return Object.keys(changed).length ? changed : null;
}
