// The domain event bus (events in domain/events.ts): readings, decisions and pivots publish; triage,
// notifications and live pages subscribe. With several processes, live pages also hear the events of the others.
import type { DomainEvent, EventBus, Listener } from '../domain/events.ts';
import { errorFields, type Logger } from '../logger.ts';

export function createEventBus(logger: Logger): EventBus {
  const listeners = new Set<Listener>();
  const everywhere = new Set<Listener>();
  let relay: ((event: DomainEvent) => void) | undefined;
  const deliver = (targets: Iterable<Listener>, event: DomainEvent) => {
    for (const listener of targets) {
      // One failing subscriber must not keep the event from the others, nor fail the request.
      try {
        listener(event);
      } catch (error) {
        logger.error('event listener failed', { event: event.type, ...errorFields(error) });
      }
    }
  };
  const add = (set: Set<Listener>, listener: Listener) => {
    set.add(listener);
    return () => set.delete(listener);
  };
  return {
    publish(event) {
      deliver([...listeners, ...everywhere], event);
      relay?.(event);
    },
    subscribe: (listener) => add(listeners, listener),
    subscribeEverywhere: (listener) => add(everywhere, listener),
    relayTo(send) {
      relay = send;
    },
    receiveRemote(event) {
      deliver(everywhere, event);
    },
  };
}
