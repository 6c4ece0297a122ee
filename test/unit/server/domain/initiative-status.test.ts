import { describe, expect, it } from 'vitest';
import { assessInitiative } from '../../../../server/domain/initiative-status.ts';

const startAt = new Date('2026-01-01T00:00:00Z');
const targetAt = new Date('2026-12-31T00:00:00Z');
const mid = new Date((startAt.getTime() + targetAt.getTime()) / 2);

describe('assessInitiative', () => {
  it('shows "milestones green, value slipping" side by side, with the unrealized money at risk', () => {
    const result = assessInitiative({
      metricStatuses: ['on track', 'on track'],
      money: { plannedValue: 1_000_000, realizedValue: 300_000, startAt, targetAt },
      now: mid,
      threshold: 0.15,
    });
    expect(result.delivery).toBe('on track');
    expect(result.value).toBe('off track');
    expect(result.valueSlip).toBeCloseTo(0.2, 10);
    expect(result.moneyAtRisk).toBe(700_000);
  });

  it('puts no money at risk while both statuses are on track', () => {
    const result = assessInitiative({
      metricStatuses: ['on track'],
      money: { plannedValue: 1000, realizedValue: 500, startAt, targetAt },
      now: mid,
      threshold: 0.15,
    });
    expect(result).toMatchObject({ delivery: 'on track', value: 'on track', moneyAtRisk: 0 });
  });

  it('counts the money at risk when delivery slips even if the value is on plan', () => {
    const result = assessInitiative({
      metricStatuses: ['off track'],
      money: { plannedValue: 1000, realizedValue: 500, startAt, targetAt },
      now: mid,
      threshold: 0.15,
    });
    expect(result.moneyAtRisk).toBe(500);
  });

  it('has no value status without money', () => {
    const result = assessInitiative({ metricStatuses: [], money: null, now: mid, threshold: 0.15 });
    expect(result).toEqual({ delivery: 'no data', value: 'no data', valueSlip: null, moneyAtRisk: 0 });
  });
});
