// The domain events: what readings, decisions, pivots and reviews announce, and the bus they travel on
// (services/event-bus.ts makes it). Pure: types, and the events one metric's change of status gives rise to.
import { thresholdCrossing, type Status, type Trend } from './slip.ts';

export interface MetricEventData {
  organizationId: string;
  metricId: string;
  metricName: string;
  status: Status;
  previousStatus: Status;
  slip: number | null;
  trend: Trend;
  slipThreshold: number;
  at: string;
}

/** An action item as governance events carry it (webhooks, notifications). */
export interface ActionEventData {
  organizationId: string;
  actionId: string;
  reviewId: string | null;
  title: string;
  ownerId: string;
  ownerName: string;
  dueDate: string;
  status: string;
  actorId: string | null;
  at: string;
}

export interface PivotEventData {
  organizationId: string;
  reviewId: string;
  /** Null when the pivot added a new item to the agenda. */
  itemId: string | null;
  metricId: string;
  why: string;
  slip: number | null;
  at: string;
}

/** A review went live or closed: live pages list the organization's running reviews (the home's "Live now"). */
export interface ReviewStatusEventData {
  organizationId: string;
  reviewId: string;
  title: string;
  at: string;
}

/** A closed review's minutes, as the recap sends them. */
export interface ReviewMinutesEventData {
  organizationId: string;
  reviewId: string;
  title: string;
  closedAt: string;
  /** The minutes page, absolute. */
  url: string;
  markdown: string;
  decisions: { id: string; title: string; owner: string | null; dueDate: string | null; status: string }[];
  at: string;
}

export type DomainEvent =
  | ({ type: 'metric.updated' } & MetricEventData)
  /** The metric crossed its slip threshold: it is off track now and was not before. */
  | ({ type: 'metric.slipped' } & MetricEventData)
  /** The metric was off track and is not any more. */
  | ({ type: 'metric.recovered' } & MetricEventData)
  /** A decision was recorded as an action item (its owner has not committed yet). */
  | ({ type: 'action.recorded' } & ActionEventData)
  /** The owner said "I commit". */
  | ({ type: 'action.committed' } & ActionEventData)
  /** Any other change: title, owner, due date, done, dropped. */
  | ({ type: 'action.changed'; change: string } & ActionEventData)
  /** The triage runner pivoted a live review's agenda to a slipping metric. */
  | ({ type: 'triage.pivoted' } & PivotEventData)
  /** The facilitator started the review: it is live now. */
  | ({ type: 'review.started' } & ReviewStatusEventData)
  /** The facilitator closed the review. */
  | ({ type: 'review.closed' } & ReviewStatusEventData)
  /** A review closed and its minutes were generated. */
  | ({ type: 'review.minutes' } & ReviewMinutesEventData);

export type Listener = (event: DomainEvent) => void;

export interface EventBus {
  publish(event: DomainEvent): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: Listener): () => void;
  /**
   * Also hears the events other processes publish (with REDIS_URL): for live pages. Side effects (triage,
   * notifications, webhooks) subscribe with `subscribe`, so they run once, in the process where the event arose.
   */
  subscribeEverywhere(listener: Listener): () => void;
  /** Sends this process's events to the other processes from now on. */
  relayTo(send: (event: DomainEvent) => void): void;
  /** An event another process published. */
  receiveRemote(event: DomainEvent): void;
}

/** The events one metric's change of status gives rise to. */
export function metricEvents(data: MetricEventData): DomainEvent[] {
  const crossing = thresholdCrossing(data.previousStatus, data.status);
  const events: DomainEvent[] = [{ type: 'metric.updated', ...data }];
  if (crossing) events.push({ type: `metric.${crossing}`, ...data });
  return events;
}
