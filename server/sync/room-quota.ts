// A room's share of the update quotas (domain/update-quota.ts): the bytes all its connections in this process may
// still send this minute, and what it knows of the board's size without encoding it on every update: the encoded
// size when last measured plus the bytes of every update since (an upper bound, since deletions shrink a board).
import { bytesEarned, judgeUpdate, type RefusalReason, type UpdateQuotas } from '../domain/update-quota.ts';
import type { Connection } from './connection.ts';

/** The board's exact size is measured at most this often when it seems to reach its ceiling. */
export const BOARD_RECOUNT_MS = 2_000;

export class RoomQuota {
  #bytes: number | null = null;
  #refilledAtMs = 0;
  #boardBytesCounted = 0;
  #boardBytesSince = 0;
  #boardCountedAtMs: number | null = null;

  /** The room's whole board, encoded: measured only when it seems to reach the ceiling. */
  constructor(private readonly board: { fullState(): Uint8Array }) {}

  /** An update the room applied that no connection's judgement counted (the server's, another process's). */
  countApplied(bytes: number): void {
    this.#boardBytesSince += bytes;
  }

  /** Spends bytes beyond the bucket's balance (a refusal's tombstones). */
  overdraw(bytes: number): void {
    if (this.#bytes !== null) this.#bytes -= bytes;
  }

  /** Decides whether a connection's update may go in, and if so spends its bytes (the connection's and the room's). */
  judge(connection: Connection, bytes: number, grows: boolean): RefusalReason | null {
    const limits = connection.limits;
    const nowMs = Math.floor(performance.now());
    const earned = bytesEarned(nowMs - this.#refilledAtMs, limits.roomBytesPerMinute);
    if (this.#bytes === null || earned > 0) {
      this.#bytes = Math.min(limits.roomBytesPerMinute, (this.#bytes ?? limits.roomBytesPerMinute) + earned);
      this.#refilledAtMs = nowMs;
    }
    const input = {
      bytes,
      grows,
      connectionTokens: connection.updateBytesAvailable(nowMs),
      roomTokens: this.#bytes,
      boardBytes: this.#boardBytesCounted + this.#boardBytesSince,
      quotas: limits,
    };
    let refusal = judgeUpdate(input);
    if (refusal === 'board-full' && this.#mayRecount(nowMs, limits)) {
      this.#boardBytesCounted = this.board.fullState().byteLength;
      this.#boardBytesSince = 0;
      this.#boardCountedAtMs = nowMs;
      refusal = judgeUpdate({ ...input, boardBytes: this.#boardBytesCounted });
    }
    if (refusal) return refusal;
    connection.spendUpdateBytes(bytes);
    this.#bytes -= bytes;
    this.#boardBytesSince += bytes;
    return null;
  }

  /**
   * Measuring encodes the whole board, so it happens at most every BOARD_RECOUNT_MS (deletions may have made room),
   * or sooner once a sixteenth of the ceiling came in since (the estimate may just have gone stale).
   */
  #mayRecount(nowMs: number, quotas: UpdateQuotas): boolean {
    return (
      this.#boardCountedAtMs === null ||
      nowMs - this.#boardCountedAtMs >= BOARD_RECOUNT_MS ||
      this.#boardBytesSince >= quotas.maxBoardBytes / 16
    );
  }
}
