// The state every form shares: busy while saving, the server's field errors and general error.
import { ApiError, describeError } from './api/client';
import { asPercentMessage, humanizePath } from './field-messages';

export interface FormOptions {
  /** What the form calls a field, for errors shown in the general message. */
  labels?: Record<string, string>;
  /** Fields the form asks for in percent while the API takes a fraction. */
  percent?: readonly string[];
}

export class FormState {
  busy = $state(false);
  error = $state<unknown>(null);

  /** `fields` are the paths the form shows errors next to; the rest go to the general message. */
  constructor(
    readonly fields: readonly string[],
    readonly options: FormOptions = {},
  ) {}

  field(path: string): string | undefined {
    const message = this.error instanceof ApiError ? this.error.fieldError(path) : undefined;
    return message && this.options.percent?.includes(path) ? asPercentMessage(message) : message;
  }

  /** The message for errors that no field shows. */
  get general(): string | null {
    if (!this.error) return null;
    if (this.error instanceof ApiError && this.error.issues.length > 0) {
      const others = this.error.issues.filter((issue) => !this.fields.includes(issue.path));
      return others.length
        ? others
            .map((issue) => `${this.options.labels?.[issue.path] ?? humanizePath(issue.path)}: ${issue.message}`)
            .join('; ')
        : 'Please correct the highlighted fields.';
    }
    return describeError(this.error);
  }

  /** Runs a save; resolves true when it succeeded. */
  async run(save: () => Promise<unknown>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      await save();
      return true;
    } catch (error) {
      this.error = error;
      return false;
    } finally {
      this.busy = false;
    }
  }
}
