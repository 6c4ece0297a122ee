import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessInitiative } from '../../../../server/domain/initiative-status.ts';
import { STATUSES, worstStatus, type MetricAssessment, type Status } from '../../../../server/domain/slip.ts';
import {
  assessedAt,
  FREQUENCY_MS,
  graceMs,
  isStale,
  MIN_STALE_AFTER_MS,
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

  const frequency = fc.constantFrom(...REPORTING_FREQUENCIES);
  const instant = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true });
  const freshStatus = fc.constantFrom<Exclude<Status, 'stale'>>('on track', 'at risk', 'off track');

  it('a newer reading is never more stale, and staleness starts no sooner than any frequency allows (property)', () => {
    fc.assert(
      fc.property(frequency, instant, fc.nat({ max: 400 * DAY }), fc.nat({ max: 400 * DAY }), (f, latest, a, b) => {
        const newer = new Date(latest.getTime() + a);
        const now = new Date(latest.getTime() + b);
        if (isStale(f, newer, now)) expect(isStale(f, latest, now)).toBe(true);
        expect(staleFrom(f, latest).getTime() - latest.getTime()).toBeGreaterThanOrEqual(MIN_STALE_AFTER_MS);
      }),
    );
  });

  it('an assessment at a moment is stale exactly when its latest reading is, and keeps its numbers (property)', () => {
    fc.assert(
      fc.property(
        frequency,
        instant,
        fc.integer({ min: -30 * DAY, max: 200 * DAY }),
        freshStatus,
        fc.double({ min: -1, max: 1, noNaN: true }),
        (f, at, offset, status, slip) => {
          const assessment: MetricAssessment = { status, slip, latest: { at, value: 7 }, trend: 'steady' };
          const now = new Date(at.getTime() + offset);
          const result = assessedAt(assessment, f, now);
          const stale = isStale(f, at, now);
          expect(result).toEqual({
            ...assessment,
            status: stale ? 'stale' : status,
            staleSince: stale ? staleFrom(f, at) : null,
          });
          if (stale) expect(result.staleSince!.getTime()).toBeLessThan(now.getTime());
        },
      ),
    );
    // Without readings there is nothing to go stale.
    const none: MetricAssessment = { status: 'no data', slip: null, latest: null, trend: 'unknown' };
    expect(assessedAt(none, 'daily', new Date('2099-01-01')).status).toBe('no data');
  });

  it('never lets a stale metric make an initiative on track, nor hide a fresh slip (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...STATUSES), { maxLength: 6 }), (statuses) => {
        const withStale = [...statuses, 'stale' as const];
        const worst = worstStatus(withStale);
        const delivery = assessInitiative({
          metricStatuses: withStale,
          money: null,
          now: new Date('2026-11-02'),
          threshold: 0.15,
        }).delivery;
        expect(delivery).toBe(worst);
        expect(worst).not.toBe('on track');
        expect(worst).not.toBe('no data');
        if (statuses.includes('off track')) expect(worst).toBe('off track');
        else if (statuses.includes('at risk')) expect(worst).toBe('at risk');
        else expect(worst).toBe('stale');
      }),
    );
  });
});
