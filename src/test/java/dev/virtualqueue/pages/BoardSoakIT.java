package dev.virtualqueue.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Browser;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A display board left open through 500 calls: its DOM, its event listeners and its JS heap stay
 * bounded (Chrome's own counters after a forced garbage collection), and it still shows the latest call.
 */
class BoardSoakIT {
  private static final int CALLS = 500;
  private static final int WARM_UP = 50;
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static Staff staff;
  private static String queueId;
  private static final List<String> counters = new ArrayList<>();
  private static final int COUNTERS = 4;

  @BeforeAll
  static void start() {
    staff = server.tenant("soak");
    queueId = staff.queue("hall", new JsonObject().put("ticketPrefix", "S")).getString("id");
    for (int i = 1; i <= COUNTERS; i++) {
      counters.add(staff.openCounter(queueId, "Counter " + i));
    }
  }

  /** One person joins, is called to {@code counter} and served, so the counter is free again. */
  private static String serve(String counter, int i) {
    staff.join("hall");
    Resp called = staff.callNext(counter);
    assertThat(called.status()).as("call %d", i).isEqualTo(200);
    String id = called.json().getString("id");
    staff.call("POST", "/api/v1/tickets/" + id + "/start");
    staff.call("POST", "/api/v1/tickets/" + id + "/complete");
    return called.json().getString("code");
  }

  @Test
  void fiveHundredCallsKeepTheBoardBounded() throws Exception {
    try (Browser board = Browser.start(1280, 720)) {
      board.open(server.base() + "/board/" + queueId);
      board.await(Duration.ofSeconds(5), "board live", d -> "open".equals(board.js("return document.body.dataset.conn")));
      String last = null;
      for (int i = 0; i < WARM_UP; i++) {
        last = serve(counters.get(i % COUNTERS), i);
      }
      awaitShown(board, last);
      Map<String, Double> before = board.metricsAfterGc();
      long start = System.nanoTime();
      // the four counters call at the same time, as in a busy hall; then one last call to look for
      int total = WARM_UP + callFromEveryCounterAtOnce();
      for (int i = total; i < CALLS; i++) {
        last = serve(counters.get(0), i);
      }
      awaitShown(board, last);
      System.out.printf("%d more calls in %d ms%n", CALLS - WARM_UP, (System.nanoTime() - start) / 1_000_000);
      Map<String, Double> after = board.metricsAfterGc();
      System.out.printf("board after %d calls: nodes %s -> %s, listeners %s -> %s, heap %.0f KB -> %.0f KB%n",
          CALLS, before.get("Nodes"), after.get("Nodes"), before.get("JSEventListeners"), after.get("JSEventListeners"),
          before.get("JSHeapUsedSize") / 1024, after.get("JSHeapUsedSize") / 1024);

      long seq = Long.parseLong(board.js("return document.body.dataset.seq").toString());
      System.out.printf("board messages received: %d%n", seq);
      assertThat(seq).as("every call reached the board").isGreaterThanOrEqualTo(CALLS);
      assertThat(board.text("#recent li:first-child")).startsWith(last);
      assertThat((Long) board.js("return document.querySelectorAll('#recent li').length")).isLessThanOrEqualTo(6L);
      assertThat((Long) board.js("return document.getElementsByTagName('*').length")).isLessThan(120L);
      assertThat(after.get("Nodes")).as("DOM nodes").isLessThanOrEqualTo(before.get("Nodes") + 50);
      assertThat(after.get("JSEventListeners")).as("event listeners").isLessThanOrEqualTo(before.get("JSEventListeners"));
      assertThat(after.get("JSHeapUsedSize")).as("JS heap after GC").isLessThan(before.get("JSHeapUsedSize") + 512 * 1024);
      board.screenshot("board-3-after-500-calls");
    }
  }

  /** Each counter serves its share of the calls after the warm-up but the last, all at once: how many in all. */
  private static int callFromEveryCounterAtOnce() throws Exception {
    ExecutorService desks = Executors.newFixedThreadPool(COUNTERS);
    List<Future<?>> done = new ArrayList<>();
    int each = (CALLS - WARM_UP - 1) / COUNTERS;
    for (String counter : counters) {
      done.add(desks.submit(() -> IntStream.range(0, each).forEach(i -> serve(counter, i))));
    }
    for (Future<?> f : done) {
      f.get(2, TimeUnit.MINUTES);
    }
    desks.shutdown();
    return each * COUNTERS;
  }

  private static void awaitShown(Browser board, String code) {
    board.await(Duration.ofSeconds(10), "board shows " + code,
        d -> board.text("#recent li:first-child").startsWith(code));
  }
}
