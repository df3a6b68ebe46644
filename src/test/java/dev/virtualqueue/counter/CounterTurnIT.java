package dev.virtualqueue.counter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A counter's current ticket through the API, and "done and call next" as one action: each step one
 * legal transition in the event log, a double click never finishes the person just called, and
 * another tenant sees nothing.
 */
class CounterTurnIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static Staff staff;
  private static Staff other;

  @BeforeAll
  static void start() {
    staff = server.tenant("turn");
    other = server.tenant("elsewhere");
  }

  private static String queue(String slug) {
    return staff.queue(slug, new JsonObject().put("ticketPrefix", "T")).getString("id");
  }

  private static Resp finish(Staff who, String counter, String ticketId) {
    String body = ticketId == null ? null : new JsonObject().put("ticketId", ticketId).encode();
    return who.call("POST", "/api/v1/counters/" + counter + "/complete-and-call-next", body);
  }

  private static JsonObject current(String counter) {
    Resp r = staff.call("GET", "/api/v1/counters/" + counter);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().getJsonObject("current");
  }

  private static String status(String ticketId) {
    return staff.call("GET", "/api/v1/tickets/" + ticketId).json().getString("status");
  }

  private static List<String> events(String ticketId) {
    List<String> out = new ArrayList<>();
    try (var c = server.database(); var rs = c.createStatement().executeQuery(
        "SELECT action || ':' || coalesce(from_status, '') || '>' || to_status FROM ticket_events WHERE ticket_id = '"
            + ticketId + "' ORDER BY id")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static long waiting(String queueId) {
    return staff.call("GET", "/api/v1/queues/" + queueId + "/snapshot").json().getLong("waiting");
  }

  @Test
  void theCounterShowsItsCalledOrServingTicketWithoutTheToken() {
    String q = queue("show");
    String counter = staff.openCounter(q, "Desk 1");
    assertThat(current(counter)).as("a free counter").isNull();
    JsonObject ada = staff.join("show", new JsonObject().put("name", "Ada"));
    staff.callNext(counter);

    JsonObject called = current(counter);
    assertThat(called.getString("id")).isEqualTo(ada.getString("id"));
    assertThat(called.getString("code")).isEqualTo("T001");
    assertThat(called.getString("status")).isEqualTo("called");
    assertThat(called.getString("name")).isEqualTo("Ada");
    assertThat(called.getString("priority")).isEqualTo("standard");
    assertThat(called.getString("calledAt")).isNotBlank();
    assertThat(called.getString("counterId")).isEqualTo(counter);
    assertThat(called.containsKey("token")).isFalse();

    staff.call("POST", "/api/v1/tickets/" + ada.getString("id") + "/start");
    assertThat(current(counter).getString("status")).isEqualTo("serving");
    staff.call("POST", "/api/v1/tickets/" + ada.getString("id") + "/complete");
    assertThat(current(counter)).as("free again once served").isNull();
    assertThat(other.call("GET", "/api/v1/counters/" + counter).status()).as("another tenant").isEqualTo(404);
  }

  @Test
  void doneAndCallNextCompletesTheServingTicketThenCallsTheNextPerson() {
    String q = queue("serve");
    String counter = staff.openCounter(q, "Desk 1");
    String a = staff.join("serve").getString("id");
    String b = staff.join("serve").getString("id");
    staff.callNext(counter);
    staff.call("POST", "/api/v1/tickets/" + a + "/start");

    Resp r = finish(staff, counter, a);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().getString("id")).isEqualTo(b);
    assertThat(r.json().getString("status")).isEqualTo("called");
    assertThat(r.json().getString("counterId")).isEqualTo(counter);
    assertThat(status(a)).isEqualTo("served");
    assertThat(events(a)).containsExactly("join:>waiting", "call:waiting>called", "start:called>serving",
        "complete:serving>served");
    assertThat(current(counter).getString("id")).isEqualTo(b);

    // a called (never started) ticket is started and completed, each step logged; nobody waits: 204
    Resp last = finish(staff, counter, b);
    assertThat(last.status()).as(last.toString()).isEqualTo(204);
    assertThat(status(b)).isEqualTo("served");
    assertThat(events(b)).containsExactly("join:>waiting", "call:waiting>called", "start:called>serving",
        "complete:serving>served");
    assertThat(current(counter)).isNull();
    assertThat(staff.call("GET", "/api/v1/queues/" + q + "/snapshot").json().getLong("servedToday")).isEqualTo(2);
  }

  @Test
  void aSecondClickNeverFinishesThePersonJustCalled() {
    String q = queue("twice");
    String counter = staff.openCounter(q, "Desk 1");
    String a = staff.join("twice").getString("id");
    String b = staff.join("twice").getString("id");
    String c = staff.join("twice").getString("id");
    staff.callNext(counter);

    assertThat(finish(staff, counter, a).json().getString("id")).isEqualTo(b);
    Resp again = finish(staff, counter, a);
    assertThat(again.status()).as(again.toString()).isEqualTo(409);
    assertThat(again.json().getString("code")).isEqualTo("counter.ticket_changed");
    assertThat(status(b)).as("the person just called stays called").isEqualTo("called");
    assertThat(status(c)).isEqualTo("waiting");

    Resp unnamed = finish(staff, counter, null);
    assertThat(unnamed.status()).isEqualTo(409);
    assertThat(unnamed.json().getString("code")).isEqualTo("counter.busy");
    assertThat(status(b)).isEqualTo("called");

    Resp malformed = staff.call("POST", "/api/v1/counters/" + counter + "/complete-and-call-next",
        "{\"ticketId\":\"not-a-uuid\"}");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(finish(staff, counter, c).json().getString("code")).isEqualTo("counter.ticket_changed");
    assertThat(status(b)).isEqualTo("called");
    assertThat(status(c)).isEqualTo("waiting");
  }

  @Test
  void aFreeCounterJustCallsNextAndTheRulesOfCallNextHold() {
    String q = queue("free");
    String counter = staff.openCounter(q, "Desk 1");
    assertThat(finish(staff, counter, null).status()).as("nobody waits").isEqualTo(204);
    String a = staff.join("free").getString("id");
    Resp r = finish(staff, counter, null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().getString("id")).isEqualTo(a);

    String closed = staff.call("POST", "/api/v1/queues/" + q + "/counters", "{\"name\":\"Desk 2\"}").json()
        .getString("id");
    assertThat(finish(staff, closed, null).json().getString("code")).isEqualTo("counter.closed");

    Resp foreign = finish(other, counter, a);
    assertThat(foreign.status()).as("another tenant").isEqualTo(404);
    assertThat(status(a)).isEqualTo("called");
  }

  @Test
  void concurrentCountersAndDoubleClicksNeverCallOrFinishAnyoneTwice() throws Exception {
    String q = queue("rush");
    List<String> counters = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      counters.add(staff.openCounter(q, "C" + i));
    }
    List<String> joined = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      joined.add(staff.join("rush").getString("id"));
    }
    ConcurrentLinkedQueue<String> called = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> workers = new ArrayList<>();
    for (String counter : counters) {
      // two "clicks" per counter, racing with the same idea of who is at the counter
      for (int click = 0; click < 2; click++) {
        workers.add(pool.submit(() -> {
          go.await();
          clickUntilDone(q, counter, called, errors);
          return null;
        }));
      }
    }
    go.countDown();
    for (Future<?> w : workers) {
      w.get();
    }
    pool.shutdown();
    assertThat(errors).isEmpty();
    assertThat(new HashSet<>(called)).as("nobody called twice").hasSameSizeAs(called);
    assertThat(new HashSet<>(called)).containsExactlyInAnyOrderElementsOf(joined);
    for (String id : joined) {
      assertThat(status(id)).isEqualTo("served");
      assertThat(events(id)).as("ticket %s", id).containsExactly("join:>waiting", "call:waiting>called",
          "start:called>serving", "complete:serving>served");
    }
  }

  /** One staff member's "done, call next" clicks at a counter until the queue is empty (or a click fails). */
  private static void clickUntilDone(String q, String counter, Queue<String> called, Queue<String> errors) {
    for (int step = 0; step < 500; step++) {
      JsonObject at = current(counter);
      Resp r = finish(staff, counter, at == null ? null : at.getString("id"));
      if (r.status() == 200) {
        called.add(r.json().getString("id"));
      } else if (r.status() == 204) {
        if (current(counter) == null && waiting(q) == 0) {
          return;
        }
      } else if (r.status() != 409 || !Set.of("counter.ticket_changed", "counter.busy")
          .contains(r.json().getString("code"))) {
        errors.add(r.toString());
        return;
      }
    }
    errors.add("counter " + counter + " not done after 500 steps: " + current(counter) + ", waiting "
        + waiting(q));
  }
}
