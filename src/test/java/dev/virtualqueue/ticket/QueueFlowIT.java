package dev.virtualqueue.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole staff/public flow of README.md, as a user would drive it over HTTP. */
class QueueFlowIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static Staff staff;

  @BeforeAll
  static void start() {
    staff = server.tenant("flow");
  }

  @Test
  void joinSeeCallStartCompleteWithPositionsAndEta() {
    JsonObject q = staff.queue("desk", new JsonObject().put("ticketPrefix", "D").put("serviceTimeGuessSeconds", 120));
    String counter = staff.openCounter(q.getString("id"), "Counter 3");
    JsonObject a = staff.join("desk", new JsonObject().put("name", "Ada").put("email", "ada@example.com"));
    JsonObject b = staff.join("desk");
    assertThat(a.getString("code")).isEqualTo("D001");
    assertThat(a.getString("status")).isEqualTo("waiting");
    assertThat(a.getLong("position")).isEqualTo(1);
    assertThat(a.getString("token")).hasSizeGreaterThanOrEqualTo(43);
    assertThat(b.getLong("position")).isEqualTo(2);
    assertThat(b.getJsonObject("eta").getLong("p50")).isEqualTo(240);
    assertThat(b.getJsonObject("eta").getLong("p90")).isGreaterThan(240);
    assertThat(staff.ticket(b).containsKey("token")).isFalse();

    Resp called = staff.callNext(counter);
    assertThat(called.status()).isEqualTo(200);
    assertThat(called.json().getString("id")).isEqualTo(a.getString("id"));
    assertThat(called.json().getString("status")).isEqualTo("called");
    assertThat(called.json().getString("counterName")).isEqualTo("Counter 3");
    assertThat(staff.ticket(b).getLong("position")).isEqualTo(1);
    assertThat(staff.ticket(a).getString("status")).isEqualTo("called");

    String id = a.getString("id");
    assertThat(staff.call("POST", "/api/v1/tickets/" + id + "/recall").json().getInteger("recallCount")).isEqualTo(1);
    assertThat(staff.call("POST", "/api/v1/tickets/" + id + "/start").json().getString("status")).isEqualTo("serving");
    assertThat(staff.call("POST", "/api/v1/tickets/" + id + "/complete").json().getString("status")).isEqualTo("served");
    assertThat(server.count("SELECT count(*) FROM ticket_events WHERE ticket_id = '" + id + "'")).isEqualTo(5);

    assertThat(staff.callNext(counter).json().getString("id")).isEqualTo(b.getString("id"));
    assertThat(staff.call("POST", "/api/v1/tickets/" + b.getString("id") + "/no-show").json().getString("status"))
        .isEqualTo("no_show");
    assertThat(staff.callNext(counter).status()).isEqualTo(204);

    JsonObject snap = staff.call("GET", "/api/v1/queues/" + q.getString("id") + "/snapshot").json();
    assertThat(snap.getLong("servedToday")).isEqualTo(1);
    assertThat(snap.getLong("noShowToday")).isEqualTo(1);
    assertThat(snap.getLong("waiting")).isZero();
    assertThat(snap.getDouble("averageWaitSeconds")).isNotNull();
  }

  @Test
  void counterMustBeOpenAndFreeToCall() {
    JsonObject q = staff.queue("counters");
    String counter = staff.openCounter(q.getString("id"), "C1");
    staff.join("counters");
    staff.join("counters");
    assertThat(staff.callNext(counter).status()).isEqualTo(200);
    Resp busy = staff.callNext(counter);
    assertThat(busy.status()).isEqualTo(409);
    assertThat(busy.json().getString("code")).isEqualTo("counter.busy");
    staff.call("POST", "/api/v1/counters/" + counter + "/close");
    assertThat(staff.callNext(counter).json().getString("code")).isEqualTo("counter.closed");
  }

  @Test
  void leaveTakesThePersonOutAndMovesOthersUp() {
    staff.queue("leave");
    JsonObject a = staff.join("leave");
    JsonObject b = staff.join("leave");
    Resp wrongToken = server.http("DELETE", "/api/v1/tickets/" + a.getString("id"), null, "X-Ticket-Token", "nope");
    assertThat(wrongToken.status()).isEqualTo(403);
    Resp left = server.http("DELETE", "/api/v1/tickets/" + a.getString("id"), null,
        "X-Ticket-Token", a.getString("token"));
    assertThat(left.status()).isEqualTo(200);
    assertThat(left.json().getString("status")).isEqualTo("left");
    assertThat(staff.ticket(b).getLong("position")).isEqualTo(1);
    Resp again = server.http("DELETE", "/api/v1/tickets/" + a.getString("id"), null,
        "X-Ticket-Token", a.getString("token"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().getString("code")).isEqualTo("ticket.invalid_transition");
  }

  @Test
  void transferMovesTheTicketToTheBackOfAnotherQueue() {
    JsonObject from = staff.queue("xfer-a", new JsonObject().put("ticketPrefix", "A"));
    JsonObject to = staff.queue("xfer-b", new JsonObject().put("ticketPrefix", "B"));
    String counter = staff.openCounter(from.getString("id"), "A1");
    JsonObject waitingInB = staff.join("xfer-b");
    JsonObject a = staff.join("xfer-a");
    staff.callNext(counter);
    Resp moved = staff.call("POST", "/api/v1/tickets/" + a.getString("id") + "/transfer",
        new JsonObject().put("queueId", to.getString("id")).encode());
    assertThat(moved.status()).isEqualTo(200);
    assertThat(moved.json().getString("queueId")).isEqualTo(to.getString("id"));
    assertThat(moved.json().getString("status")).isEqualTo("waiting");
    assertThat(moved.json().getString("code")).startsWith("B");
    assertThat(moved.json().getLong("position")).isEqualTo(2);
    assertThat(staff.ticket(a).getLong("position")).isEqualTo(2);
    assertThat(staff.ticket(waitingInB).getLong("position")).isEqualTo(1);
    // the counter is free again: the transferred person is no longer held there
    assertThat(staff.callNext(counter).status()).isEqualTo(204);
  }

  @Test
  void pauseResumeCloseGovernJoining() {
    JsonObject q = staff.queue("life");
    String id = q.getString("id");
    assertThat(staff.call("POST", "/api/v1/queues/" + id + "/pause").json().getString("status")).isEqualTo("paused");
    Resp paused = server.http("POST", "/api/v1/public/flow/queues/life/tickets", "{}");
    assertThat(paused.status()).isEqualTo(409);
    assertThat(paused.json().getString("code")).isEqualTo("queue.paused");
    staff.call("POST", "/api/v1/queues/" + id + "/resume");
    staff.join("life");
    staff.call("POST", "/api/v1/queues/" + id + "/close");
    assertThat(server.http("POST", "/api/v1/public/flow/queues/life/tickets", "{}").json().getString("code"))
        .isEqualTo("queue.closed");
  }

  @Test
  void capacityAndOpeningHoursAreEnforced() {
    staff.queue("small", new JsonObject().put("capacity", 2));
    staff.join("small");
    staff.join("small");
    Resp full = server.http("POST", "/api/v1/public/flow/queues/small/tickets", "{}");
    assertThat(full.status()).isEqualTo(409);
    assertThat(full.json().getString("code")).isEqualTo("queue.full");

    staff.queue("never", new JsonObject().put("openingHours",
        new JsonObject().put("timezone", "Europe/Paris").put("weekly", new JsonObject())));
    assertThat(server.http("POST", "/api/v1/public/flow/queues/never/tickets", "{}").json().getString("code"))
        .isEqualTo("queue.outside_hours");
  }

  @Test
  void updateListAndPaginate() {
    JsonObject q = staff.queue("paged");
    String id = q.getString("id");
    Resp updated = staff.call("PATCH", "/api/v1/queues/" + id,
        new JsonObject().put("name", "Renamed").put("capacity", 50).encode());
    assertThat(updated.json().getString("name")).isEqualTo("Renamed");
    assertThat(updated.json().getInteger("capacity")).isEqualTo(50);
    for (int i = 0; i < 5; i++) {
      staff.join("paged", new JsonObject().put("name", "p" + i));
    }
    Resp page1 = staff.call("GET", "/api/v1/queues/" + id + "/tickets?limit=3");
    assertThat(page1.items()).hasSize(3);
    String cursor = page1.json().getString("nextCursor");
    Resp page2 = staff.call("GET", "/api/v1/queues/" + id + "/tickets?limit=3&cursor=" + cursor);
    assertThat(page2.items()).hasSize(2);
    assertThat(page2.json().getString("nextCursor")).isNull();
    assertThat(page2.items().getJsonObject(1).getString("name")).isEqualTo("p4");
    assertThat(staff.call("GET", "/api/v1/queues").items().size()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void duplicateEmailIsRefusedWhereTheQueueForbidsIt() {
    staff.queue("once", new JsonObject().put("allowDuplicates", false));
    JsonObject first = staff.join("once", new JsonObject().put("email", "Bob@Example.com"));
    Resp second = server.http("POST", "/api/v1/public/flow/queues/once/tickets",
        new JsonObject().put("email", "bob@example.com").encode());
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.json().getString("code")).isEqualTo("ticket.duplicate");
    assertThat(second.json().getJsonObject("existing").getString("id")).isEqualTo(first.getString("id"));
    assertThat(server.count("SELECT count(*) FROM tickets WHERE lower(email) = 'bob@example.com'")).isEqualTo(1);
  }
}
