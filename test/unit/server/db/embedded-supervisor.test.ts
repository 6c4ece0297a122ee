import { describe, expect, it } from 'vitest';
import { restartPauseMs } from '../../../../server/db/embedded-supervisor.ts';

describe('restarting the embedded PostgreSQL', () => {
  it('waits half a second first, doubles the pause on each failed attempt, and never waits more than 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map(restartPauseMs)).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });
});
