package dev.virtualqueue.ticket;

import dev.virtualqueue.events.DomainEvent;
import dev.virtualqueue.line.LinePlace;
import java.time.Instant;
import java.util.UUID;

/** A ticket as stored. {@code tokenHash} is the SHA-256 of the holder's secret token. */
public record Ticket(UUID id, UUID tenantId, UUID queueId, long number, String code, int classRank,
                     String className, TicketStatus status, String name, String email, String phone,
                     byte[] tokenHash, UUID counterId, String counterName, int recallCount,
                     Instant createdAt, Instant queuedAt, Instant calledAt, Instant startedAt,
                     Instant finishedAt, int version) {

  /**
   * The event of a committed change that left the ticket as it is now. {@code serviceTimed} is false
   * when its service time was not measured (the event then carries no service start).
   */
  public DomainEvent event(DomainEvent.Kind kind, boolean serviceTimed) {
    DomainEvent.TicketTimes times = new DomainEvent.TicketTimes(createdAt, queuedAt, calledAt,
        serviceTimed ? startedAt : null, finishedAt);
    return new DomainEvent(kind, queueId, id, status.wire(), code, counterId, counterName, times,
        System.currentTimeMillis());
  }

  /** Its place in the Redis mirror of the waiting lines. */
  public LinePlace place() {
    return new LinePlace(queueId, classRank, id, number);
  }

  /** The code people see, e.g. A042: queue prefix and the last three digits of the number. */
  public static String code(String prefix, long number) {
    return prefix + String.format("%03d", number % 1000);
  }
}
