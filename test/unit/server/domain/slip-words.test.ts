import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { statusForSlip } from '../../../../server/domain/slip.ts';
import { slipWords } from '../../../../server/domain/slip-words.ts';

describe('slipWords', () => {
  it('says a slip inside the tolerance is within it', () => {
    expect(slipWords(0.05, 0.15)).toBe('within tolerance (5% behind plan)');
  });

  it('says how far behind an at-risk or off-track metric is', () => {
    expect(slipWords(0.09, 0.15)).toBe('9% behind plan');
    expect(slipWords(0.3, 0.15)).toBe('30% behind plan');
  });

  it('says ahead of plan, on plan and no readings', () => {
    expect(slipWords(-0.04, 0.15)).toBe('4% ahead of plan');
    expect(slipWords(0.004, 0.15)).toBe('on plan');
    expect(slipWords(null, 0.15)).toBe('no readings');
    expect(slipWords(Number.NaN, 0.15)).toBe('no readings');
  });

  it('never puts a bare "behind" beside an on-track status, nor "ahead" or "within" beside any other', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (slip, threshold) => {
          const words = slipWords(slip, threshold);
          const status = statusForSlip(slip, threshold);
          if (status === 'on track')
            expect(words).toMatch(/^(on plan|\d+% ahead of plan|within tolerance \(\d+% behind plan\))$/);
          else expect(words).toMatch(/^\d+% behind plan$/);
        },
      ),
      { numRuns: 500 },
    );
  });
});
