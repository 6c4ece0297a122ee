import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changedFields } from '../../../src/lib/changed-fields.ts';

describe('changedFields', () => {
  it('keeps only what differs, nested values compared whole', () => {
    const original = { title: 'Scanners', team: 'IT', links: [{ url: 'https://a.example' }], plannedValue: null };
    expect(changedFields(original, { ...original })).toBeNull();
    expect(changedFields(original, { ...original, team: 'Regions', plannedValue: null })).toEqual({ team: 'Regions' });
    expect(changedFields(original, { ...original, links: [] })).toEqual({ links: [] });
    expect(changedFields(original, { ...original, plannedValue: 5 as never })).toEqual({ plannedValue: 5 });
  });

  it('merged over the original gives the edited object back (property)', () => {
    const record = fc.dictionary(
      fc.constantFrom('a', 'b', 'c', 'd'),
      fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    );
    fc.assert(
      fc.property(record, record, (original, edits) => {
        const edited = { ...original, ...edits };
        expect({ ...original, ...(changedFields(original, edited) ?? {}) }).toEqual(edited);
      }),
    );
  });
});
