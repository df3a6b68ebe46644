package dev.virtualqueue.live;

import dev.virtualqueue.live.LiveMessages.BoardState;
import dev.virtualqueue.live.LiveMessages.Call;
import dev.virtualqueue.live.LiveMessages.CounterRef;
import dev.virtualqueue.live.LiveMessages.Serving;
import dev.virtualqueue.ticket.EtaEstimator;
import dev.virtualqueue.ticket.TicketService.BoardData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What a queue's boards show: who is being served where, the latest calls, and the line's size. */
final class BoardModel {
  static final int RECENT = 10;
  private final UUID queueId;
  private final String queueName;
  private final Map<UUID, Serving> nowServing = new LinkedHashMap<>();
  private final Deque<Call> recent = new ArrayDeque<>();

  BoardModel(UUID queueId, BoardData data) {
    this.queueId = queueId;
    this.queueName = data.queueName();
    data.nowServing().forEach(s -> nowServing.put(s.ticketId(), new Serving(s.code(),
        new CounterRef(s.counterId(), s.counterName()), s.status(), s.calledAtMillis())));
    data.recentCalls().forEach(c -> recent.addLast(new Call(c.code(), new CounterRef(c.counterId(), c.counterName()),
        c.recall(), c.atMillis())));
  }

  /** Applies a change; returns the call to announce, if it was one. */
  Call apply(LiveEvent e) {
    switch (e.kind()) {
      case CALL, RECALL -> {
        CounterRef counter = new CounterRef(e.counterId(), e.counterName());
        nowServing.values().removeIf(s -> s.counter().equals(counter));
        nowServing.remove(e.ticketId());
        nowServing.put(e.ticketId(), new Serving(e.code(), counter, "called", e.atMillis()));
        Call call = new Call(e.code(), counter, e.kind() == LiveEvent.Kind.RECALL, e.atMillis());
        recent.addFirst(call);
        while (recent.size() > RECENT) {
          recent.removeLast();
        }
        return call;
      }
      case START -> nowServing.computeIfPresent(e.ticketId(),
          (id, s) -> new Serving(s.code(), s.counter(), "serving", s.calledAt()));
      case COMPLETE, NO_SHOW, LEAVE, EXPIRE, TRANSFER_OUT -> nowServing.remove(e.ticketId());
      default -> { }
    }
    return null;
  }

  BoardState state(String type, Call call, LineOrder order, long changedAt) {
    Map<String, Long> byClass = new LinkedHashMap<>();
    Long typical = null;
    long waiting = 0;
    if (order != null) {
      var classes = order.queue().priorityClasses();
      for (int i = 0; i < classes.size(); i++) {
        byClass.put(classes.get(i).name(), order.waitingByClass()[i]);
      }
      waiting = order.waiting();
      typical = EtaEstimator.estimate(waiting + 1, order.openCounters(), order.queue().serviceStats(),
          order.queue().serviceTimeGuessSeconds()).p50();
    }
    List<Serving> serving = new ArrayList<>(nowServing.values());
    Collections.reverse(serving);
    return new BoardState(type, 0, queueId, queueName, serving, List.copyOf(recent), call, waiting, byClass, typical,
        changedAt);
  }
}
