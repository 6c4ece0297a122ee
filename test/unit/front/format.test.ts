import { describe, expect, it } from 'vitest';
import { pivotDistance } from '../../../src/lib/format.ts';

describe('pivotDistance', () => {
  it('says how close a metric is to pivoting a review to triage', () => {
    expect(pivotDistance(0.09, 0.15)).toBe('6 points from triage (at 15%)');
    expect(pivotDistance(0.18, 0.15)).toBe('past the 15% triage threshold');
    expect(pivotDistance(-0.04, 0.15)).toBe('19 points from triage (at 15%)');
    expect(pivotDistance(null, 0.1)).toBe('triage at 10% behind');
  });
});
