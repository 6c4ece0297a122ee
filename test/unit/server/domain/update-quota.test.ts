import { describe, expect, it } from 'vitest';
import {
  bytesEarned,
  DEFAULT_UPDATE_QUOTAS,
  judgeUpdate,
  refusalNotice,
} from '../../../../server/domain/update-quota.ts';

const quotas = { connectionBytesPerMinute: 1_000, roomBytesPerMinute: 3_000, maxBoardBytes: 10_000 };
const base = { bytes: 500, grows: true, connectionTokens: 1_000, roomTokens: 3_000, boardBytes: 0, quotas };

describe('judgeUpdate', () => {
  it('lets an update in while the connection, the room and the board have room for it', () => {
    expect(judgeUpdate(base)).toBeNull();
    expect(judgeUpdate({ ...base, bytes: 1_000, boardBytes: 9_000 })).toBeNull();
  });

  it('names the first quota an update would exceed', () => {
    expect(judgeUpdate({ ...base, connectionTokens: 499 })).toBe('connection-rate');
    expect(judgeUpdate({ ...base, roomTokens: 499 })).toBe('room-rate');
    expect(judgeUpdate({ ...base, boardBytes: 9_501 })).toBe('board-full');
    expect(judgeUpdate({ ...base, bytes: 1_001, connectionTokens: 5_000 })).toBeNull();
  });

  it('lets deletions into a full board, so it can be cleaned up', () => {
    expect(judgeUpdate({ ...base, bytes: 20, grows: false, boardBytes: 10_000 })).toBeNull();
  });
});

describe('bytesEarned', () => {
  it('refills a minute’s worth per minute, in whole bytes', () => {
    expect(bytesEarned(60_000, 1_000)).toBe(1_000);
    expect(bytesEarned(30, 1_000)).toBe(0);
    expect(bytesEarned(90, 1_000)).toBe(1);
    expect(bytesEarned(-5, 1_000)).toBe(0);
  });
});

describe('defaults', () => {
  it('fit fifteen people typing and a few pasted documents of a few hundred KB', () => {
    // A keystroke is an update of about 30 bytes; a fast typist makes five a second.
    const typingPerMinute = 30 * 5 * 60;
    expect(15 * typingPerMinute + 3 * 400 * 1024).toBeLessThan(DEFAULT_UPDATE_QUOTAS.roomBytesPerMinute);
    expect(typingPerMinute + 2 * 400 * 1024).toBeLessThan(DEFAULT_UPDATE_QUOTAS.connectionBytesPerMinute);
    expect(DEFAULT_UPDATE_QUOTAS.maxBoardBytes).toBeGreaterThanOrEqual(4 * 1024 * 1024);
  });
});

describe('refusalNotice', () => {
  it('says what was refused and why, in a sentence a person can act on', () => {
    const notice = refusalNotice('connection-rate', 900 * 1024, DEFAULT_UPDATE_QUOTAS);
    expect(notice).toMatchObject({ kind: 'update-refused', reason: 'connection-rate', bytes: 900 * 1024 });
    expect(notice.message).toBe(
      'Your last change (900 KB) was not saved and has been removed from the board: you can send at most 2.0 MB of ' +
        'changes a minute; try again in a minute, or in smaller parts.',
    );
    expect(refusalNotice('board-full', 10, DEFAULT_UPDATE_QUOTAS).message).toContain('beyond its limit of 8.0 MB');
    expect(refusalNotice('room-rate', 10, DEFAULT_UPDATE_QUOTAS).message).toContain('from everyone together');
  });
});
