// The words beside a status badge, from the rule that gives the status (slip.ts), so that a green "on track" never
// sits beside a bare "5% behind": a slip inside the tolerance says so.
import { statusForSlip } from './slip.ts';

/**
 * Slip in words, for a metric or an initiative's value with this off-track threshold:
 * - "no readings" without a slip; "on plan" when it rounds to 0%; "4% ahead of plan" ahead of it;
 * - "within tolerance (5% behind plan)" behind the plan but still on track;
 * - "9% behind plan" when at risk or off track.
 */
export function slipWords(slip: number | null, threshold: number): string {
  if (slip === null || !Number.isFinite(slip)) return 'no readings';
  const percent = Math.round(Math.abs(slip) * 100);
  if (percent === 0) return 'on plan';
  if (slip < 0) return `${percent}% ahead of plan`;
  const behind = `${percent}% behind plan`;
  return statusForSlip(slip, threshold) === 'on track' ? `within tolerance (${behind})` : behind;
}
