package dev.virtualqueue.ticket;

import dev.virtualqueue.counter.Counter;
import java.time.Instant;
import java.util.UUID;

/**
 * One counter as {@code GET /counters/{id}} shows it: the counter and its current (called or
 * serving) ticket, so any console, on any device, finds who is at the counter.
 */
public record CounterView(UUID id, UUID tenantId, UUID queueId, String name, String status, UUID openedBy,
                          Instant openedAt, Instant createdAt, TicketView current) {

  public static CounterView of(Counter c, TicketView current) {
    return new CounterView(c.id(), c.tenantId(), c.queueId(), c.name(), c.status(), c.openedBy(), c.openedAt(),
        c.createdAt(), current);
  }
}
