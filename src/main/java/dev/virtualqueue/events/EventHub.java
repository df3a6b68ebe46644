package dev.virtualqueue.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process {@link EventPublisher}: hands each event to every subscriber (live fan-out,
 * business metrics, next the outbox) in the caller's thread. A subscriber must not block; one that
 * throws is logged and does not keep the event from the others.
 */
public final class EventHub implements EventPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
  private final List<Consumer<DomainEvent>> subscribers = new CopyOnWriteArrayList<>();

  /** Adds a subscriber for every later event. */
  public EventHub subscribe(Consumer<DomainEvent> subscriber) {
    subscribers.add(subscriber);
    return this;
  }

  @Override
  public void publish(DomainEvent event) {
    for (Consumer<DomainEvent> s : subscribers) {
      try {
        s.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("event subscriber failed on {} of queue {}: {}", event.kind(), event.queueId(), e.toString());
      }
    }
  }
}
