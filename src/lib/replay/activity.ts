// How busy the board was along the timeline: board changes counted per slice, for the strip under the markers.
import type { Span } from './timeline.ts';

export function activityOf(times: readonly number[], span: Span, slices: number): number[] {
  const counts = new Array<number>(slices).fill(0);
  const length = span.end - span.start;
  if (length <= 0 || slices <= 0) return counts;
  for (const t of times) {
    if (t < span.start || t > span.end) continue;
    counts[Math.min(slices - 1, Math.floor(((t - span.start) / length) * slices))]!++;
  }
  return counts;
}
