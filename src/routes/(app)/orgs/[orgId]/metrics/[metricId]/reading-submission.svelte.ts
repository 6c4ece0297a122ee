// Sends one reading of a metric as a person means it: with an Idempotency-Key that stays the same while the same
// reading is retried (a timeout, a resend after confirming a jump) and is new for the next reading, and with the
// server's question about a value far outside the recent readings put to the person before it is recorded anyway.
import { api, ApiError, type ApiBody } from '$lib/api/client';
import { FormState } from '$lib/form-state.svelte';

export interface ReadingBody {
  value: number | undefined;
  at?: string;
  source?: string;
  note: string | null;
}

/** A UUID; crypto.randomUUID exists only in secure contexts, so a page served over plain http builds its own. */
function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class ReadingSubmission {
  readonly form: FormState;
  /** The server's words for a jump it wants confirmed, while the question is open. */
  jump = $state<string | null>(null);
  asking = $state(false);
  #pending: { body: string; key: string } | null = null;

  constructor(
    readonly metricId: () => string,
    fields: readonly string[],
  ) {
    this.form = new FormState(fields);
  }

  /** Sends the reading; true once it is recorded, false on an error shown by `form` or a jump put to the person. */
  async send(body: ReadingBody, options: { confirmJump?: boolean } = {}): Promise<boolean> {
    const text = JSON.stringify(body);
    // The same reading again (a retry) keeps its key, so the server stores it once; another reading gets a new one.
    if (this.#pending?.body !== text) this.#pending = { body: text, key: newKey() };
    const headers = { 'Idempotency-Key': this.#pending.key };
    const payload = options.confirmJump ? { ...body, confirmJump: true } : body;
    // Typed as the API's body, though the value may be missing: the server then names the field.
    const saved = await this.form.run(() =>
      api.post('/api/metrics/{metricId}/readings', {
        path: { metricId: this.metricId() },
        body: payload as ApiBody<'/api/metrics/{metricId}/readings', 'post'>,
        headers,
      }),
    );
    if (saved) {
      this.#pending = null;
      this.asking = false;
      this.jump = null;
      return true;
    }
    const error = this.form.error;
    if (error instanceof ApiError && error.code === 'reading_jump') {
      // Not an error to show under the field: a question to answer.
      this.form.error = null;
      this.jump = error.message;
      this.asking = true;
    } else this.asking = false;
    return false;
  }

  /** Records the reading the person was asked about. */
  async confirm(): Promise<boolean> {
    if (!this.#pending) return false;
    return this.send(JSON.parse(this.#pending.body) as ReadingBody, { confirmJump: true });
  }
}
