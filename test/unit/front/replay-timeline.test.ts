import { describe, expect, it } from 'vitest';
import { silenceSkipper } from '../../../server/domain/replay.ts';
import { activityOf } from '../../../src/lib/replay/activity.ts';
import {
  advance,
  formatOffset,
  markerMoment,
  momentFromParam,
  nextMarker,
  percentOf,
  previousMarker,
  replaySpan,
  SETTLE_MS,
} from '../../../src/lib/replay/timeline.ts';

const span = { start: 1_000_000, end: 1_600_000 };

describe('the replay timeline', () => {
  it('runs from the first board change or the start to the last change or the close', () => {
    const at = (ms: number) => new Date(ms).toISOString();
    expect(
      replaySpan(
        { startedAt: at(1_000_000), closedAt: at(1_700_000) },
        { firstAt: at(1_000_500), lastAt: at(1_600_000) },
      ),
    ).toEqual({ start: 1_000_000, end: 1_700_000 });
    expect(replaySpan({ startedAt: null, closedAt: null }, { firstAt: at(2_000), lastAt: at(9_000) })).toEqual({
      start: 2_000,
      end: 9_000,
    });
  });

  it('has nothing to replay without board changes', () => {
    expect(replaySpan({ startedAt: null, closedAt: null }, { firstAt: null, lastAt: null })).toBeNull();
    expect(
      replaySpan({ startedAt: new Date(5).toISOString(), closedAt: null }, { firstAt: null, lastAt: null }),
    ).toBeNull();
  });

  it('opens a deep link at its moment, kept inside the review', () => {
    expect(momentFromParam('1200000', span)).toBe(1_200_000);
    expect(momentFromParam('5', span)).toBe(span.start);
    expect(momentFromParam('99999999999', span)).toBe(span.end);
    expect(momentFromParam('yesterday', span)).toBeNull();
    expect(momentFromParam('', span)).toBeNull();
    expect(momentFromParam(null, span)).toBeNull();
  });

  it('jumps just past a marker, and from there to the next and the previous one', () => {
    const markers = [{ at: 1_100_000 }, { at: 1_300_000 }, { at: 1_300_000 + 10 }, { at: 1_599_900 }];
    expect(markerMoment(markers[0]!, span)).toBe(1_100_000 + SETTLE_MS);
    expect(markerMoment(markers[3]!, span)).toBe(span.end);
    expect(nextMarker(markers, span.start, span)).toBe(markers[0]);
    const onSecond = markerMoment(markers[1]!, span);
    expect(nextMarker(markers, onSecond, span)).toBe(markers[2]);
    expect(previousMarker(markers, onSecond, span)).toBe(markers[0]);
    expect(nextMarker(markers, span.end, span)).toBeNull();
    expect(previousMarker(markers, span.start, span)).toBeNull();
  });

  it('plays at its speed and stops at the end', () => {
    expect(advance(1_000_000, 100, 1, span, null)).toBe(1_000_100);
    expect(advance(1_000_000, 100, 16, span, null)).toBe(1_001_600);
    expect(advance(1_599_000, 1_000, 4, span, null)).toBe(span.end);
    expect(advance(1_000_000, -50, 4, span, null)).toBe(1_000_000);
  });

  it('skips a long silence at the pace of a short one, and never runs backwards', () => {
    // Changes at 0 s, 1 s and 300 s: with 2 s silences, 3 s of playback from 1 s plays 2 s of the gap, then 1 s.
    const skipper = silenceSkipper([1_000_000, 1_001_000, 1_300_000, span.end], 2_000);
    expect(advance(1_001_000, 3_000, 1, span, skipper)).toBe(1_301_000);
    expect(advance(1_001_000, 1_000, 1, span, skipper)).toBe(1_002_000);
    let moment = span.start;
    for (let frame = 0; frame < 400; frame++) {
      const next = advance(moment, 16, 16, span, skipper);
      expect(next).toBeGreaterThanOrEqual(moment);
      moment = next;
    }
    expect(moment).toBe(span.end);
  });

  it('reads time into the review as minutes and seconds, with hours once past one', () => {
    expect(formatOffset(0)).toBe('0:00');
    expect(formatOffset(65_400)).toBe('1:05');
    expect(formatOffset(3_723_000)).toBe('1:02:03');
    expect(formatOffset(-5)).toBe('0:00');
  });

  it('places moments along the track', () => {
    expect(percentOf(span.start, span)).toBe(0);
    expect(percentOf(1_300_000, span)).toBe(50);
    expect(percentOf(span.end + 10, span)).toBe(100);
    expect(percentOf(5, { start: 5, end: 5 })).toBe(0);
  });

  it('counts board changes per slice of the track', () => {
    expect(activityOf([1_000_000, 1_000_001, 1_300_000, 1_600_000, 2_000_000], span, 4)).toEqual([2, 0, 1, 1]);
    expect(activityOf([1], { start: 1, end: 1 }, 3)).toEqual([0, 0, 0]);
  });
});
