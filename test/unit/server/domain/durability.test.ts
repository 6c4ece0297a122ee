import { describe, expect, it } from 'vitest';
import { coveredBy, saveState } from '../../../../server/domain/durability.ts';
import { roomAccess, canFacilitate } from '../../../../server/domain/review-roles.ts';

describe('coveredBy', () => {
  it('needs every local clock at or below the committed one', () => {
    expect(coveredBy(new Map([[1, 5]]), new Map([[1, 5]]))).toBe(true);
    expect(coveredBy(new Map([[1, 6]]), new Map([[1, 5]]))).toBe(false);
    expect(coveredBy(new Map([[2, 1]]), new Map([[1, 5]]))).toBe(false);
    expect(coveredBy(new Map(), new Map([[1, 5]]))).toBe(true);
  });
});

describe('saveState', () => {
  const base = {
    connected: true,
    readOnly: false,
    covered: false,
    unsavedSinceMs: 1_000,
    nowMs: 2_000,
    patienceMs: 5_000,
  };
  it('tells offline, read-only, saved, saving and not saved apart', () => {
    expect(saveState({ ...base, connected: false })).toBe('offline');
    expect(saveState({ ...base, readOnly: true })).toBe('read-only');
    expect(saveState({ ...base, covered: true })).toBe('saved');
    expect(saveState(base)).toBe('saving');
    expect(saveState({ ...base, nowMs: 7_000 })).toBe('not saved');
  });
});

describe('room access', () => {
  it('lets unlisted members contribute, keeps viewers and closed reviews read-only', () => {
    expect(roomAccess(undefined, 'live')).toEqual({ role: 'owner', readOnly: false });
    expect(roomAccess('viewer', 'live')).toEqual({ role: 'viewer', readOnly: true });
    expect(roomAccess('facilitator', 'closed')).toEqual({ role: 'facilitator', readOnly: true });
    expect(canFacilitate('owner', 'admin')).toBe(true);
    expect(canFacilitate('owner', 'member')).toBe(false);
  });
});
