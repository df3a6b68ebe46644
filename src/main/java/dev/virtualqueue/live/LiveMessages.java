package dev.virtualqueue.live;

import dev.virtualqueue.ticket.EtaEstimator.Eta;
import java.util.List;
import java.util.Map;
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

    public TicketState withSeq(long n) {
        return new TicketState(type, n, id, queueId, code, status, position, ahead, eta, counter, recallCount,
            changedAt);
    }

    /** Whether two states would look the same to the person (seq and timing aside). */
    public boolean sameAs(TicketState o) {
      return o != null && java.util.Objects.equals(status, o.status) && java.util.Objects.equals(position, o.position)
          && java.util.Objects.equals(eta, o.eta) && java.util.Objects.equals(counter, o.counter)
          && java.util.Objects.equals(code, o.code) && java.util.Objects.equals(queueId, o.queueId)
          && java.util.Objects.equals(recallCount, o.recallCount);
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
  }

  /** Sent before a graceful close (1001): reconnect after the given delay. */
  public record Bye(String type, long seq, long reconnectInMs) {
  }
}
