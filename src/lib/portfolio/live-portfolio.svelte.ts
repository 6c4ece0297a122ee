// The organization's portfolio, kept current: loaded once, reloaded when the server reports a metric change.
import { SvelteSet } from 'svelte/reactivity';
import { api } from '$lib/api/client';
import { apiPath } from '$lib/api/paths';
import type { Member, Portfolio } from '$lib/api/types';

export type Connection = 'connecting' | 'live' | 'reconnecting';

export class LivePortfolio {
  data = $state<Portfolio | null>(null);
  /** Who can own things here, for the create and edit forms. */
  members = $state<Member[]>([]);
  error = $state<unknown>(null);
  connection = $state<Connection>('connecting');
  /** Counts reviews of the organization starting or closing, so a page listing live reviews reloads them. */
  reviewsChanged = $state(0);
  /** Metric ids that changed in the last few seconds, to highlight them. */
  readonly changed = new SvelteSet<string>();

  #source: EventSource | undefined;
  #reloadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly orgId: string) {}

  async load(): Promise<void> {
    try {
      const [data, members] = await Promise.all([
        api.get('/api/orgs/{orgId}/portfolio', { path: { orgId: this.orgId } }),
        api.get('/api/orgs/{orgId}/members', { path: { orgId: this.orgId } }),
      ]);
      this.data = data;
      this.members = members.members;
      this.error = null;
    } catch (error) {
      this.error = error;
    }
  }

  /** Subscribes to the organization's events; returns the function that stops listening. */
  connect(): () => void {
    const source = new EventSource(apiPath`/orgs/${this.orgId}/events`);
    this.#source = source;
    source.addEventListener('ready', () => {
      // Anything may have changed while the stream was down.
      if (this.connection === 'reconnecting') {
        this.#scheduleReload();
        this.reviewsChanged += 1;
      }
      this.connection = 'live';
    });
    source.addEventListener('metric.updated', (message) => {
      const { metricId } = JSON.parse((message as MessageEvent<string>).data) as { metricId: string };
      this.changed.add(metricId);
      setTimeout(() => this.changed.delete(metricId), 4000);
      this.#scheduleReload();
    });
    for (const type of ['review.started', 'review.closed'])
      source.addEventListener(type, () => (this.reviewsChanged += 1));
    source.onerror = () => {
      this.connection = 'reconnecting';
    };
    return () => {
      clearTimeout(this.#reloadTimer);
      this.#source?.close();
    };
  }

  /** A burst of readings (a batch upload) reloads once. */
  #scheduleReload() {
    clearTimeout(this.#reloadTimer);
    this.#reloadTimer = setTimeout(() => void this.load(), 150);
  }
}
