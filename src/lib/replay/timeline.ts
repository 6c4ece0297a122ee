// The replay's timeline, pure: the span a review covers, where its markers take you, the moment a deep link
// names, playback steps (at a speed, optionally skipping silences) and how offsets read.
import { replaySpan, type Marker, type MarkerKind, type Span } from '../../../server/domain/replay.ts';

export { replaySpan, type Span };

/** A marker's event is logged as it happens; its board change lands a moment later, so a jump goes just past. */
export const SETTLE_MS = 1_000;
/** ← and → move by this much. */
export const STEP_MS = 10_000;
export const SPEEDS = [1, 4, 16] as const;
export type Speed = (typeof SPEEDS)[number];
/** With "skip silence", a pause longer than this plays as this long. */
export const SILENCE_MS = 2_000;

export const clamp = (t: number, span: Span) => Math.min(span.end, Math.max(span.start, t));

/** The moment `?at=<epoch ms>` names, inside the span; null when absent or not a number. */
export function momentFromParam(value: string | null, span: Span): number | null {
  if (value === null || value.trim() === '') return null;
  const t = Number(value);
  return Number.isFinite(t) ? clamp(Math.round(t), span) : null;
}

export const markerMoment = (marker: Pick<Marker, 'at'>, span: Span) => clamp(marker.at + SETTLE_MS, span);

/** The first marker whose moment lies after `t`. */
export function nextMarker<M extends Pick<Marker, 'at'>>(markers: readonly M[], t: number, span: Span): M | null {
  return markers.find((marker) => markerMoment(marker, span) > t) ?? null;
}

/** The last marker whose moment lies before `t`. */
export function previousMarker<M extends Pick<Marker, 'at'>>(markers: readonly M[], t: number, span: Span): M | null {
  return markers.findLast((marker) => markerMoment(marker, span) < t) ?? null;
}

/** Where playback is after `elapsedMs` of wall time: at `speed`, silences compressed when a skipper is given. */
export function advance(
  t: number,
  elapsedMs: number,
  speed: number,
  span: Span,
  skipper: { toPlayback: (t: number) => number; toReal: (p: number) => number } | null,
): number {
  const step = Math.max(0, elapsedMs) * speed;
  if (!skipper) return clamp(t + step, span);
  // Never backwards: toReal lands on the start of a compressed gap's tail, which may be before t.
  return clamp(Math.max(t + step, skipper.toReal(skipper.toPlayback(t) + step)), span);
}

/** "4:05", "1:02:03": time into the review. */
export function formatOffset(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** Where along the track (0–100%) a moment sits. */
export const percentOf = (t: number, span: Span) =>
  span.end > span.start ? ((clamp(t, span) - span.start) / (span.end - span.start)) * 100 : 0;

export const MARKER_LOOKS: Record<MarkerKind, { name: string; dot: string }> = {
  pivot: { name: 'Pivot', dot: 'bg-red-600' },
  decision: { name: 'Decision', dot: 'bg-brand-600' },
  commitment: { name: 'Commitment', dot: 'bg-emerald-600' },
  phase: { name: 'Phase change', dot: 'bg-slate-500' },
};
