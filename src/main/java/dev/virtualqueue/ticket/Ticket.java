package dev.virtualqueue.ticket;

import dev.virtualqueue.events.DomainEvent;
import dev.virtualqueue.line.LinePlace;
import dev.virtualqueue.queue.Queue;
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

  /** A new waiting ticket of {@code q}, not stored yet (the store sets its times and version). */
  static Ticket waiting(UUID id, Queue q, int classRank, long number, JoinRequest holder, byte[] tokenHash) {
    return new Ticket(id, q.tenantId(), q.id(), number, code(q.ticketPrefix(), number), classRank,
        q.priorityClasses().get(classRank).name(), TicketStatus.WAITING, holder.name(), holder.email(), holder.phone(),
        tokenHash, null, null, 0, null, null, null, null, null, 0);
  }

  /** Called to {@code counter} at {@code at}. */
  Ticket calledTo(UUID counter, Instant at) {
    return progressed(TicketStatus.CALLED, counter, recallCount, at, null, null);
  }

  /** Called again at {@code at}, one recall more. */
  Ticket recalled(Instant at) {
    return progressed(TicketStatus.CALLED, counterId, recallCount + 1, at, startedAt, null);
  }

  /** Service started at {@code at}. */
  Ticket started(Instant at) {
    return progressed(TicketStatus.SERVING, counterId, recallCount, calledAt, at, null);
  }

  /** Finished at its counter ({@code to}: served or no-show) at {@code at}. */
  Ticket finished(TicketStatus to, Instant at) {
    return progressed(to, counterId, recallCount, calledAt, startedAt, at);
  }

  /** Out of the line without a counter ({@code to}: left, expired or admitted) at {@code at}. */
  Ticket outOfLine(TicketStatus to, Instant at) {
    return progressed(to, null, recallCount, calledAt, startedAt, at);
  }

  private Ticket progressed(TicketStatus to, UUID counter, int recalls, Instant called, Instant started,
                            Instant finished) {
    return new Ticket(id, tenantId, queueId, number, code, classRank, className, to, name, email, phone, tokenHash,
        counter, counterName, recalls, createdAt, queuedAt, called, started, finished, version);
  }

  /** Moved to the back of class {@code rank} of {@code target} under a new {@code number}, waiting again. */
  Ticket movedTo(Queue target, int rank, long newNumber, Instant at) {
    return new Ticket(id, tenantId, target.id(), newNumber, code(target.ticketPrefix(), newNumber), rank,
        target.priorityClasses().get(rank).name(), TicketStatus.WAITING, name, email, phone, tokenHash, null, null, 0,
        createdAt, at, null, null, null, version);
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
