import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FREQUENCY_MS,
  graceMs,
  isStale,
  REPORTING_FREQUENCIES,
  staleFrom,
} from '../../../../server/domain/staleness.ts';

const DAY = 86_400_000;

describe('staleness', () => {
  it('gives a weekly metric a week and a half, a daily one two days', () => {
    const latest = new Date('2026-11-02T09:00:00Z');
    expect(staleFrom('weekly', latest).toISOString()).toBe('2026-11-12T21:00:00.000Z');
    expect(isStale('weekly', latest, new Date('2026-11-12T20:59:59Z'))).toBe(false);
    expect(isStale('weekly', latest, new Date('2026-11-12T21:00:01Z'))).toBe(true);
    expect(staleFrom('daily', latest).toISOString()).toBe('2026-11-04T09:00:00.000Z');
    // Ten months without a reading is stale for every frequency.
    for (const frequency of REPORTING_FREQUENCIES)
      expect(isStale(frequency, latest, new Date('2027-09-02T09:00:00Z'))).toBe(true);
  });

  it('is never stale without readings, nor within the period and its grace (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REPORTING_FREQUENCIES),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        (frequency, latest, periods) => {
          const now = new Date(latest.getTime() + periods * FREQUENCY_MS[frequency]);
          const limit = FREQUENCY_MS[frequency] + graceMs(frequency);
          expect(isStale(frequency, null, now)).toBe(false);
          expect(isStale(frequency, latest, now)).toBe(now.getTime() - latest.getTime() > limit);
          // Staleness only grows with time: later is at least as stale.
          if (isStale(frequency, latest, now))
            expect(isStale(frequency, latest, new Date(now.getTime() + DAY))).toBe(true);
        },
      ),
    );
  });
});
