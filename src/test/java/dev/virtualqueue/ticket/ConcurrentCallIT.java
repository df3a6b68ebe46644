package dev.virtualqueue.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Eight counters call next concurrently until 500 waiting people are all called. The checker
 * asserts: every ticket called exactly once, none lost, and the server's call order (by call
 * time in Postgres) is exactly the join order.
 */
class ConcurrentCallIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static Staff staff;

  @BeforeAll
  static void start() {
    staff = server.tenant("race");
  }

  record Call(String counter, String ticket, long number) {
  }

  @Test
  void eightCountersNeverShareAPersonAndCallInJoinOrder() throws Exception {
    JsonObject q = staff.queue("rush");
    List<String> counters = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      counters.add(staff.openCounter(q.getString("id"), "C" + i));
    }
    List<String> joinOrder = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      joinOrder.add(staff.join("rush").getString("id"));
    }
    ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> workers = new ArrayList<>();
    for (String counter : counters) {
      workers.add(pool.submit(() -> callUntilEmpty(counter, calls, errors)));
    }
    for (Future<?> w : workers) {
      w.get();
    }
    pool.shutdown();

    assertThat(errors).isEmpty();
    List<String> calledIds = calls.stream().map(Call::ticket).toList();
    assertThat(calledIds).hasSize(500);
    assertThat(new HashSet<>(calledIds)).hasSize(500).containsExactlyInAnyOrderElementsOf(joinOrder);
    Set<String> counterSet = new HashSet<>();
    calls.forEach(c -> counterSet.add(c.counter()));
    assertThat(counterSet).as("all counters took part").hasSizeGreaterThan(1);
    assertCalledOnceEachInJoinOrder(calledIds);
  }

  /** One counter's staff: call next and mark a no-show until nobody waits (or a call fails). */
  private static void callUntilEmpty(String counter, Queue<Call> calls, Queue<String> errors) {
    while (true) {
      Resp r = staff.callNext(counter);
      if (r.status() == 204) {
        return;
      }
      if (r.status() != 200) {
        errors.add(r.toString());
        return;
      }
      String id = r.json().getString("id");
      calls.add(new Call(counter, id, 0));
      Resp done = staff.call("POST", "/api/v1/tickets/" + id + "/no-show");
      if (done.status() != 200) {
        errors.add(done.toString());
      }
    }
  }

  private static void assertCalledOnceEachInJoinOrder(List<String> calledIds) {
    // order: the server serialised calls; called_at follows the join order exactly
    assertThat(server.count("""
        SELECT count(*) FROM (
          SELECT number, row_number() OVER (ORDER BY called_at, number) AS call_rank,
                 row_number() OVER (ORDER BY number) AS join_rank
          FROM tickets WHERE status = 'no_show') x WHERE call_rank <> join_rank""")).isZero();
    assertThat(server.count("SELECT count(*) FROM ticket_events WHERE action = 'call'")).isEqualTo(500);
    assertThat(server.count("SELECT count(DISTINCT ticket_id) FROM ticket_events WHERE action = 'call'")).isEqualTo(500);
    List<String> sorted = new ArrayList<>(calledIds);
    Collections.sort(sorted);
    assertThat(sorted).doesNotHaveDuplicates();
  }
}
