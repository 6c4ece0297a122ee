import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIRST_RUN_STEPS, firstRun } from '../../../src/lib/onboarding/first-run.ts';

const none = { objectives: 0, metrics: 0, initiatives: 0, colleagues: 0, reviews: 0 };

describe('firstRun', () => {
  it('starts a new organization at its objective', () => {
    const run = firstRun(none);
    expect(run.next).toBe('objective');
    expect(run.doneCount).toBe(0);
    expect(run.steps.map((s) => s.step)).toEqual([...FIRST_RUN_STEPS]);
  });

  it('offers the metric once there is an objective, and the review last', () => {
    expect(firstRun({ ...none, objectives: 1 }).next).toBe('metric');
    expect(firstRun({ objectives: 1, metrics: 2, initiatives: 1, colleagues: 3, reviews: 0 }).next).toBe('review');
  });

  it('offers the earliest step still open, even when later ones were done out of order', () => {
    expect(firstRun({ ...none, metrics: 1, reviews: 1 }).next).toBe('objective');
  });

  it('is finished exactly when every count is above zero', () => {
    const count = fc.integer({ min: 0, max: 3 });
    fc.assert(
      fc.property(
        fc.record({ objectives: count, metrics: count, initiatives: count, colleagues: count, reviews: count }),
        (counts) => {
          const run = firstRun(counts);
          expect(run.next === null).toBe(Object.values(counts).every((n) => n > 0));
          expect(run.doneCount).toBe(Object.values(counts).filter((n) => n > 0).length);
        },
      ),
    );
  });
});
