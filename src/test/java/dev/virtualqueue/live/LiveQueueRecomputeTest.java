package dev.virtualqueue.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which read of the line a queue's recompute accepts. The live benchmark once ended with exactly
 * the sockets of one event loop (half of 10,000) one call behind, still wrong 10 s after the last
 * call: the loop's recompute took a read the other loop had started after the first change of the
 * batch but before its last one.
 */
class LiveQueueRecomputeTest {
  private static final long COALESCE_MILLIS = 500;
  private final UUID queueId = UUID.randomUUID();
  private Vertx vertx;

  /** A fake source of orders: records each ask and answers when the test says. */
  private record Ask(long notBeforeNanos, Promise<LineOrder> answer) {
  }

  private final BlockingQueue<Ask> asks = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void theRecomputeAfterABatchReadsAfterItsLastChange() throws Exception {
    Context context = vertx.getOrCreateContext();
    LiveContext live = new LiveContext(vertx, context, this::ask, null, new LiveMetrics(new SimpleMeterRegistry()),
        COALESCE_MILLIS, null);
    LiveQueue queue = new LiveQueue(queueId, live);
    long[] lastChange = new long[1];
    Promise<Void> fed = Promise.promise();
    context.runOnContext(v -> {
      queue.onEvent(event(LiveEvent.Kind.JOIN)); // after a quiet spell: recomputes at once
      Ask first = asks.poll();
      queue.onEvent(event(LiveEvent.Kind.CALL)); // during that read: the next batch begins
      first.answer().complete(emptyOrder());
      lastChange[0] = System.nanoTime();
      queue.onEvent(event(LiveEvent.Kind.CALL)); // the batch's last change, inside the coalescing window
      fed.complete();
    });
    fed.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    Ask second = asks.poll(5, TimeUnit.SECONDS);
    assertThat(second).as("the batch is recomputed after the coalescing window").isNotNull();
    assertThat(second.notBeforeNanos())
        .as("a read started before the batch's last change cannot show it; one started later must be asked for")
        .isGreaterThanOrEqualTo(lastChange[0]);
  }

  private Future<LineOrder> ask(UUID queue, long notBeforeNanos) {
    assertThat(queue).isEqualTo(queueId);
    Promise<LineOrder> answer = Promise.promise();
    asks.add(new Ask(notBeforeNanos, answer));
    return answer.future();
  }

  private LiveEvent event(LiveEvent.Kind kind) {
    return new LiveEvent(queueId, kind, UUID.randomUUID(), "waiting", "A001", null, null, System.currentTimeMillis());
  }

  private static LineOrder emptyOrder() {
    return new LineOrder(null, 1, List.of(), Map.of(), new long[0], System.nanoTime(), System.currentTimeMillis(),
        null);
  }
}
