import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareStreamIds } from '../../../../server/domain/stream-ids.ts';

describe('Redis stream ids', () => {
  it('compare by milliseconds, then by sequence, as numbers', () => {
    expect(compareStreamIds('9-0', '10-0')).toBe(-1);
    expect(compareStreamIds('1700000000000-12', '1700000000000-3')).toBe(1);
    expect(compareStreamIds('1700000000000-3', '1700000000000-3')).toBe(0);
    expect(compareStreamIds('0-0', '1-0')).toBe(-1);
  });

  it('order like the pairs they stand for', () => {
    const id = fc.tuple(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
    fc.assert(
      fc.property(id, id, ([aMs, aSeq], [bMs, bSeq]) => {
        const expected = aMs === bMs ? Math.sign(Number(aSeq - bSeq)) : aMs < bMs ? -1 : 1;
        expect(compareStreamIds(`${aMs}-${aSeq}`, `${bMs}-${bSeq}`)).toBe(expected);
        expect(compareStreamIds(`${bMs}-${bSeq}`, `${aMs}-${aSeq}`)).toBe(-expected || 0);
      }),
    );
  });
});
