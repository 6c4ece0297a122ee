// One decision's request to the server at a time (record, commit, propose or settle a due date): which one is
// running, and what went wrong in words the room can show, with the fields the server named.
import { ApiError, describeError } from '$lib/api/client';

export class DecisionRequest {
  /** The label of the request under way, for its button's spinner. */
  running = $state<string | null>(null);
  error = $state<string | null>(null);

  async run(label: string, work: () => Promise<unknown>): Promise<void> {
    this.error = null;
    this.running = label;
    try {
      await work();
    } catch (error) {
      const issues =
        error instanceof ApiError && error.issues.length
          ? ` (${error.issues.map((i) => `${i.path} ${i.message}`).join('; ')})`
          : '';
      this.error = `${describeError(error)}${issues}`;
    } finally {
      this.running = null;
    }
  }
}
