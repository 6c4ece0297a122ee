// A replay's state: the summary and event log, the update log streaming into the worker, the moment shown and
// the board at that moment, and playback. The first board comes from the server so the page shows something at
// once: read there, with the summary and events, in one answer (the opening), or else rebuilt there and read in
// the worker. The worker starts and the log streams in after that board is painted; once the log is in (or far
// enough), every board is built in the worker.
import { markersOf, presentAt, silenceSkipper, type Marker, type ReplayEvent } from '../../../server/domain/replay.ts';
import { activityOf } from './activity.ts';
import type { AgendaItemView, RoomView } from '../../../server/domain/board.ts';
import type { BoardFrame } from './engine.ts';
import { ReplayClient } from './replay-client.ts';
import ReplayWorker from './replay.worker.ts?worker';
import type { EventsPage, HistorySummary, ReplayOpening, ReplaySource } from './source.ts';
import {
  advance,
  clamp,
  markerMoment,
  nextMarker,
  previousMarker,
  replaySpan,
  SILENCE_MS,
  STEP_MS,
  type Span,
  type Speed,
} from './timeline.ts';

/** Columns of the activity strip under the timeline. */
const ACTIVITY_SLICES = 120;

/** After the next frame is painted (or a moment, in a tab that does not paint). */
const afterPaint = () =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(timer);
        resolve();
      }, 0),
    );
  });

export type ReplayStatus = 'loading' | 'ready' | 'empty' | 'error';

export class ReplayPlayer {
  status = $state<ReplayStatus>('loading');
  /** A failure a person should see (loading, or the worker); the replay may still be usable. */
  error = $state<unknown>(null);
  summary = $state.raw<HistorySummary | null>(null);
  span = $state.raw<Span | null>(null);
  events = $state.raw<ReplayEvent[]>([]);
  markers = $state.raw<Marker[]>([]);
  names = $state.raw<Record<string, string>>({});
  /** Updates in the log, downloaded, and applied in the worker. */
  total = $state(0);
  downloaded = $state(0);
  applied = $state(0);
  /** The moment asked for, and the moment the board on screen shows (they differ while a board is built). */
  t = $state(0);
  shownAt = $state<number | null>(null);
  frame = $state.raw<BoardFrame | null>(null);
  /** From asking for a moment to its board being ready, for the last board shown. */
  seekMs = $state<number | null>(null);
  /** Board changes per slice of the timeline, and the moment up to which the log has been downloaded. */
  activity = $state.raw<number[]>([]);
  loadedUntil = $state<number | null>(null);
  playing = $state(false);
  speed = $state<Speed>(1);
  skipSilence = $state(false);

  readonly #source: ReplaySource;
  readonly #times: number[] = [];
  #complete = false;
  #client: ReplayClient | null = null;
  #wanted: number | null = null;
  #building = false;
  #lastTick = 0;
  #skipper: { key: number; value: ReturnType<typeof silenceSkipper> } | null = null;
  #destroyed = false;
  #onFirstFrame: (() => void) | null = null;

  constructor(source: ReplaySource) {
    this.#source = source;
  }

  get loading(): boolean {
    return this.status === 'ready' && this.applied < this.total;
  }

  present = $derived(presentAt(this.events, this.t));

  nameOf = (userId: string | null): string => (userId ? (this.names[userId] ?? 'Someone') : 'Lastmile');

  /**
   * Loads the summary and events, shows the board at `initialAt` (or the start), then streams the log in.
   * `opening`, when the page asked for it already, stands for the summary, the first events and that board.
   */
  async load(initialAt: (span: Span) => number | null, opening: Promise<ReplayOpening> | null = null): Promise<void> {
    this.status = 'loading';
    this.error = null;
    try {
      const first = opening ? await opening : null;
      const summary = first?.summary ?? (await this.#source.summary());
      this.summary = summary;
      const span = replaySpan(summary.review, summary.log);
      // A scheduled review has its generated agenda in the log, but nothing happened in it yet.
      if (!span || summary.log.updates === 0 || summary.review.status === 'scheduled') {
        this.status = 'empty';
        return;
      }
      this.span = span;
      this.total = summary.log.updates;
      const [events, people] = first
        ? [await this.#loadEvents(first.events), first.people]
        : await Promise.all([
            this.#loadEvents(null),
            this.#source.people?.(summary.review.organizationId).catch(() => []) ?? Promise.resolve([]),
          ]);
      this.names = Object.fromEntries([
        ...people.map((person) => [person.id, person.name] as const),
        ...events.flatMap((event) => (event.actor ? [[event.actor.id, event.actor.name] as const] : [])),
      ]);
      this.events = events.map((event) => ({
        id: event.id,
        kind: event.kind,
        at: Date.parse(event.at),
        actorId: event.actor?.id ?? null,
        data: event.data,
      }));
      this.markers = markersOf(this.events, this.nameOf);
      if (this.#destroyed) return;
      const t = clamp(initialAt(span) ?? span.start, span);
      const board = first?.board;
      if (board && board.at === t) {
        this.t = t;
        this.frame = {
          count: null,
          agenda: board.agenda as unknown as AgendaItemView[],
          room: board.room as unknown as RoomView,
        };
        this.shownAt = t;
        this.status = 'ready';
        // The first board first: the worker's start and the log's pages would compete with its paint.
        await afterPaint();
        if (this.#destroyed) return;
        this.#startWorker();
      } else {
        this.#startWorker();
        this.status = 'ready';
        const shown = new Promise<void>((resolve) => (this.#onFirstFrame = resolve));
        this.seek(t);
        // The first board first: the log's pages would compete with it for the server and the worker.
        await Promise.race([shown, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      }
    } catch (error) {
      this.error = error;
      this.status = 'error';
      return;
    }
    try {
      await this.#download();
    } catch (error) {
      this.error = error;
    }
  }

  #startWorker(): void {
    this.#client = new ReplayClient(new ReplayWorker(), {
      oningested: (count) => (this.applied = count),
      onfailure: (message) => (this.error = new Error(message)),
    });
    // A moment asked for before the worker was there.
    if (this.#wanted !== null && !this.#building) void this.#build();
  }

  /** The event log, from its first page (when already there) on. */
  async #loadEvents(first: EventsPage | null) {
    const events: EventsPage['events'] = [...(first?.events ?? [])];
    let after: string | null = first ? first.nextAfterId : null;
    if (first && after === null) return events;
    do {
      const page = await this.#source.events(after);
      events.push(...page.events);
      after = page.nextAfterId;
    } while (after !== null);
    return events;
  }

  async #download(): Promise<void> {
    let after: number | null = 0;
    while (after !== null && !this.#destroyed) {
      const page = await this.#source.updates(after);
      for (const update of page.updates) this.#times.push(Date.parse(update.at));
      this.#client!.ingest(page.updates.map((update) => update.update));
      this.downloaded = this.#times.length;
      this.loadedUntil = this.#times.at(-1) ?? null;
      if (this.span) this.activity = activityOf(this.#times, this.span, ACTIVITY_SLICES);
      after = page.nextAfterSeq;
    }
    this.#complete = true;
    // The log may have grown since the summary (a review replayed while still live).
    this.total = Math.max(this.total, this.downloaded);
  }

  /** Shows the board as it was at `t` (clamped to the review). */
  seek(t: number): void {
    if (!this.span) return;
    this.t = clamp(t, this.span);
    this.#wanted = this.t;
    if (!this.#building) void this.#build();
  }

  /** Builds boards one at a time; while one is built, only the newest moment asked for waits. */
  async #build(): Promise<void> {
    this.#building = true;
    try {
      while (this.#wanted !== null && this.#client && !this.#destroyed) {
        const t = this.#wanted;
        this.#wanted = null;
        const started = performance.now();
        const shown = await this.#client.show(await this.#targetAt(t));
        if (!shown || this.#destroyed) continue;
        this.frame = shown.frame;
        this.shownAt = t;
        this.seekMs = performance.now() - started;
        this.#onFirstFrame?.();
        this.#onFirstFrame = null;
      }
    } catch (error) {
      this.error = error;
    } finally {
      this.#building = false;
    }
  }

  async #targetAt(t: number): Promise<{ count: number } | { state: string }> {
    const downloaded = this.#times.length;
    // Times never decrease along the log: once an update later than t is in, every update up to t is too.
    if (this.#complete || (downloaded > 0 && this.#times[downloaded - 1]! > t)) {
      return { count: this.countAt(t) };
    }
    return { state: (await this.#source.boardAt(t)).state };
  }

  /** How many updates are in effect at `t`, from what has been downloaded. */
  countAt(t: number): number {
    let low = 0;
    let high = this.#times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#times[mid]! <= t) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  step(direction: 1 | -1): void {
    this.seek(this.t + direction * STEP_MS);
  }

  jumpToMarker(direction: 1 | -1): Marker | null {
    if (!this.span) return null;
    const marker =
      direction > 0 ? nextMarker(this.markers, this.t, this.span) : previousMarker(this.markers, this.t, this.span);
    if (marker) this.seek(markerMoment(marker, this.span));
    return marker;
  }

  play(): void {
    if (!this.span || this.playing) return;
    if (this.t >= this.span.end) this.seek(this.span.start);
    this.playing = true;
    this.#lastTick = performance.now();
    requestAnimationFrame(this.#tick);
  }

  pause(): void {
    this.playing = false;
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  #tick = (now: number) => {
    if (!this.playing || !this.span || this.#destroyed) return;
    const elapsed = now - this.#lastTick;
    this.#lastTick = now;
    const next = advance(this.t, elapsed, this.speed, this.span, this.skipSilence ? this.#silences() : null);
    this.seek(next);
    if (next >= this.span.end) this.pause();
    else requestAnimationFrame(this.#tick);
  };

  /** Silences are the gaps between board changes and events; rebuilt only when more of the log has arrived. */
  #silences() {
    const key = this.#times.length;
    if (this.#skipper?.key !== key) {
      const moments = [...this.#times, ...this.events.map((event) => event.at)];
      if (this.span) moments.push(this.span.start, this.span.end);
      this.#skipper = { key, value: silenceSkipper(moments, SILENCE_MS) };
    }
    return this.#skipper.value;
  }

  destroy(): void {
    this.#destroyed = true;
    this.playing = false;
    this.#client?.destroy();
  }
}
