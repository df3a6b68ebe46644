package dev.virtualqueue.ticket;

import dev.virtualqueue.ticket.EtaEstimator.Eta;
import java.time.Instant;
import java.util.UUID;

/**
 * What a ticket looks like on the wire. {@code position} (1 = next) and {@code eta} are present
 * only while waiting; {@code token} only in the join response; {@code access} (a waiting room's
 * access token) only in the holder's own view of an admitted ticket whose session is active.
 */
public record TicketView(UUID id, UUID queueId, String code, String status, String priority, Long position,
                         Long ahead, Eta eta, UUID counterId, String counterName, Integer recallCount,
                         String name, String email, Instant createdAt, Instant calledAt, Instant startedAt,
                         Instant finishedAt, String token, AdmissionLink.Access access) {

  public static TicketView of(Ticket t, Long position, Eta eta, boolean withContact) {
    return new TicketView(t.id(), t.queueId(), t.code(), t.status().wire(), t.className(), position,
        position == null ? null : position - 1, eta, t.counterId(), t.counterName(), t.recallCount(),
        withContact ? t.name() : null, withContact ? t.email() : null, t.createdAt(), t.calledAt(),
        t.startedAt(), t.finishedAt(), null, null);
  }

  public TicketView withToken(String secret) {
    return new TicketView(id, queueId, code, status, priority, position, ahead, eta, counterId, counterName,
        recallCount, name, email, createdAt, calledAt, startedAt, finishedAt, secret, access);
  }

  public TicketView withAccess(AdmissionLink.Access a) {
    return new TicketView(id, queueId, code, status, priority, position, ahead, eta, counterId, counterName,
        recallCount, name, email, createdAt, calledAt, startedAt, finishedAt, token, a);
  }
}
