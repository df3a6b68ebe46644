package dev.virtualqueue.events;

/**
 * The one after-commit event path: every committed change of a ticket, queue or counter is
 * published here, once, by the place that made it, after its commit (and after the Redis mirror
 * has it). Publishing never fails or delays the caller: the change is already durable.
 */
public interface EventPublisher {
  void publish(DomainEvent event);
}
