package dev.virtualqueue.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Meters of the live sockets (names in docs/metrics.md). */
public final class LiveMetrics {
  private final AtomicInteger ticketSockets = new AtomicInteger();
  private final AtomicInteger boardSockets = new AtomicInteger();
  private final Counter ticketMessages;
  private final Counter boardMessages;
  private final Counter coalesced;
  private final Counter slowCloses;
  private final Counter rejected;
  private final Timer pushLatency;

  public LiveMetrics(MeterRegistry registry) {
    registry.gauge("vq_ws_connections", List.of(Tag.of("kind", "ticket")),
        ticketSockets);
    registry.gauge("vq_ws_connections", List.of(Tag.of("kind", "board")),
        boardSockets);
    ticketMessages = Counter.builder("vq_ws_messages_sent").tag("kind", "ticket").register(registry);
    boardMessages = Counter.builder("vq_ws_messages_sent").tag("kind", "board").register(registry);
    coalesced = Counter.builder("vq_ws_updates_coalesced").description("updates folded into a later message")
        .register(registry);
    slowCloses = Counter.builder("vq_ws_slow_consumer_closes").register(registry);
    rejected = Counter.builder("vq_ws_rejected_handshakes").register(registry);
    pushLatency = Timer.builder("vq_ws_push_latency")
        .description("from a change's commit to its message being written to the socket")
        .serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5))
        .register(registry);
  }

  void ticketOpened() {
    ticketSockets.incrementAndGet();
  }

  void ticketClosed() {
    ticketSockets.decrementAndGet();
  }

  void boardOpened() {
    boardSockets.incrementAndGet();
  }

  void boardClosed() {
    boardSockets.decrementAndGet();
  }

  void sent(boolean board, long changedAtMillis) {
    (board ? boardMessages : ticketMessages).increment();
    long lag = System.currentTimeMillis() - changedAtMillis;
    if (changedAtMillis > 0 && lag >= 0) {
      pushLatency.record(Duration.ofMillis(lag));
    }
  }

  void coalesced() {
    coalesced.increment();
  }

  void slowClose() {
    slowCloses.increment();
  }

  void rejected() {
    rejected.increment();
  }
}
