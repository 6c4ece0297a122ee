import { describe, expect, it } from 'vitest';
import { progressAsOf, STALE_IMPORT_MS, type ImportProgress } from '../../../../server/domain/import-progress.ts';

const running: ImportProgress = {
  status: 'running',
  totalRows: 10,
  processedRows: 4,
  accepted: 4,
  duplicates: 0,
  rejectedCount: 0,
  rejected: [],
  error: null,
};
const updatedAt = new Date('2026-11-29T10:00:00Z');
const after = (ms: number) => new Date(updatedAt.getTime() + ms);

describe('progressAsOf', () => {
  it('keeps a running import running while its progress is fresh', () => {
    expect(progressAsOf(running, updatedAt, after(STALE_IMPORT_MS))).toBe(running);
  });

  it('reads a running import with no progress for a minute as failed, saying what to do', () => {
    const seen = progressAsOf(running, updatedAt, after(STALE_IMPORT_MS + 1));
    expect(seen).toMatchObject({ status: 'failed', processedRows: 4, accepted: 4 });
    expect(seen.error).toContain('Import the file again');
  });

  it('leaves finished imports as they are, however old', () => {
    const done = { ...running, status: 'done' as const, processedRows: 10 };
    expect(progressAsOf(done, updatedAt, after(10 * STALE_IMPORT_MS))).toBe(done);
  });
});
