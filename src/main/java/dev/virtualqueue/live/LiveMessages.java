package dev.virtualqueue.live;

import dev.virtualqueue.ticket.AdmissionLink;
import dev.virtualqueue.ticket.EtaEstimator.Eta;
import dev.virtualqueue.ticket.TicketView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** Messages sent on live sockets. Every message has a {@code type} and a per-socket {@code seq}. */
public final class LiveMessages {
  private LiveMessages() {
  }

  /** A counter, as shown to people and boards. */
  public record CounterRef(UUID id, String name) {
  }

  /**
   * State of one ticket. {@code changedAt} is the commit time (epoch ms) of the newest change this
   * message reflects, so a client can measure freshness.
   */
  public record TicketState(String type, long seq, UUID id, UUID queueId, String code, String status, Long position,
                            Long ahead, Eta eta, CounterRef counter, Integer recallCount, long changedAt) {

    private static final String TYPE = "ticket";

    /** The state a ticket's view shows, as of {@code at}. */
    public static TicketState of(TicketView v, long at) {
      CounterRef counter = v.counterId() == null ? null : new CounterRef(v.counterId(), v.counterName());
      return new TicketState(TYPE, 0, v.id(), v.queueId(), v.code(), v.status(), v.position(), v.ahead(), v.eta(),
          counter, v.recallCount(), at);
    }

    /** Waiting at {@code place} (1 = next) with its ETA, as of {@code at}. */
    public TicketState waitingAt(long place, Eta newEta, long at) {
      return new TicketState(TYPE, 0, id, queueId, code, "waiting", place, place - 1, newEta, null, recallCount, at);
    }

    /** Its own status changed (no place or ETA any more); {@code at} counter only when called or serving. */
    public TicketState withStatus(String newCode, String newStatus, CounterRef at, Integer recalls, long changed) {
      return new TicketState(TYPE, 0, id, queueId, newCode, newStatus, null, null, null, at, recalls, changed);
    }

    /** Transferred: waiting in {@code newQueue} under {@code newCode}, place unknown until the next recompute. */
    public TicketState movedTo(UUID newQueue, String newCode, long changed) {
      return new TicketState(TYPE, 0, id, newQueue, newCode, "waiting", null, null, null, null, 0, changed);
    }

    public TicketState withSeq(long n) {
      return new TicketState(type, n, id, queueId, code, status, position, ahead, eta, counter, recallCount,
          changedAt);
    }

    /** Whether two states would look the same to the person (seq and timing aside). */
    public boolean sameAs(TicketState o) {
      return o != null && Objects.equals(status, o.status) && Objects.equals(position, o.position)
          && Objects.equals(eta, o.eta) && Objects.equals(counter, o.counter)
          && Objects.equals(code, o.code) && Objects.equals(queueId, o.queueId)
          && Objects.equals(recallCount, o.recallCount);
    }
  }

  /** One "now serving" line of a board. */
  public record Serving(String code, CounterRef counter, String status, long calledAt) {
  }

  /** A call shown on a board (also the latest call in "call" messages). */
  public record Call(String code, CounterRef counter, boolean recall, long at) {
  }

  /**
   * Board state. {@code type} is "board" (snapshot), "call" (someone was called: {@code call} says
   * who) or "counts" (waiting numbers changed).
   */
  public record BoardState(String type, long seq, UUID queueId, String queueName, List<Serving> nowServing,
                           List<Call> recent, Call call, long waiting, Map<String, Long> waitingByClass,
                           Long typicalWaitSeconds, long changedAt) {

    public BoardState withSeq(long n) {
      return new BoardState(type, n, queueId, queueName, nowServing, recent, call, waiting, waitingByClass,
          typicalWaitSeconds, changedAt);
    }
  }

  /**
   * A waiting room let the holder in: the access token for the protected site (signed for this
   * message; it is never stored), when it expires, and where to go. Sent after the "ticket"
   * message that says {@code admitted}, and again in the snapshot of a socket that connects later.
   */
  public record Admitted(String type, long seq, UUID id, String accessToken, Instant expiresAt, String targetUrl) {

    public static Admitted of(UUID ticketId, AdmissionLink.Access a) {
      return new Admitted("admitted", 0, ticketId, a.accessToken(), a.expiresAt(), a.targetUrl());
    }

    public Admitted withSeq(long n) {
      return new Admitted(type, n, id, accessToken, expiresAt, targetUrl);
    }
  }

  /** Sent before a graceful close (1001): reconnect after the given delay. */
  public record Bye(String type, long seq, long reconnectInMs) {

    public static Bye after(long reconnectInMs) {
      return new Bye("bye", 0, reconnectInMs);
    }

    public Bye withSeq(long n) {
      return new Bye(type, n, reconnectInMs);
    }
  }
}
