package dev.virtualqueue.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admission engine on a real server: it admits at the rate, never beyond the cap, frees slots
 * when people leave or their sessions run out, holds everyone on the emergency switch, and refuses
 * joins when closed or not open yet.
 */
class AdmissionIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static JsonObject room(JsonObject settings) {
    return new JsonObject().put("mode", "waiting_room").put("waitingRoom", settings);
  }

  static long count(String where) {
    return server.count("SELECT count(*) FROM " + where);
  }

  static List<JsonObject> join(Staff staff, String slug, int n) {
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(staff.join(slug));
    }
    return out;
  }

  @Test
  void admitsAtTheRateSpreadOverTheMinute() {
    Staff staff = server.tenant("rate-room");
    String q = staff.queue("drop", room(new JsonObject().put("newUsersPerMinute", 600))).getString("id");
    List<JsonObject> people = join(staff, "drop", 20);
    Poll.until(() -> count("tickets WHERE queue_id = '" + q + "' AND status = 'admitted'"), n -> n == 20,
        "everyone admitted");
    // 600 a minute is one every 100 ms: 20 people take about 2 s, never in one burst
    double spread = Double.parseDouble(server.scalar("SELECT extract(epoch FROM max(admitted_at) - min(admitted_at))"
        + " FROM admission_sessions WHERE queue_id = '" + q + "'"));
    assertThat(spread).as("seconds between the first and the last admission").isBetween(1.5, 4.0);
    assertThat(count("admission_sessions WHERE queue_id = '" + q + "' AND fence >= 1 AND ended_at IS NULL"))
        .isEqualTo(20);
    JsonObject first = staff.ticket(people.get(0));
    assertThat(first.getString("status")).isEqualTo("admitted");
    assertThat(first.getValue("position")).isNull();
  }

  @Test
  void neverMoreThanTheCapAndAFreedSlotAdmitsTheNext() {
    Staff staff = server.tenant("cap-room");
    String q = staff.queue("gate", room(new JsonObject().put("maxActiveUsers", 3))).getString("id");
    List<JsonObject> people = join(staff, "gate", 8);
    String active = "admission_sessions WHERE queue_id = '" + q + "' AND ended_at IS NULL AND expires_at > now()";
    Poll.until(() -> count(active), n -> n == 3, "the cap fills");
    long until = System.currentTimeMillis() + 1_500;
    while (System.currentTimeMillis() < until) {
      assertThat(count(active)).as("never past the cap").isLessThanOrEqualTo(3);
    }
    assertThat(count("tickets WHERE queue_id = '" + q + "' AND status = 'admitted'")).isEqualTo(3);

    // the first admitted holder is done: their slot goes to the next person at once
    JsonObject done = people.get(0);
    Resp left = server.http("DELETE", "/api/v1/tickets/" + done.getString("id"), null, "X-Ticket-Token",
        done.getString("token"));
    assertThat(left.status()).as(left.body()).isEqualTo(200);
    assertThat(server.scalar("SELECT end_reason FROM admission_sessions WHERE ticket_id = '" + done.getString("id")
        + "'")).isEqualTo("left");
    Poll.until(() -> count("tickets WHERE queue_id = '" + q + "' AND status = 'admitted'"), n -> n == 4, 5_000,
        "the next person takes the freed slot");
    assertThat(count(active)).isEqualTo(3);
    Resp again = server.http("DELETE", "/api/v1/tickets/" + done.getString("id"), null, "X-Ticket-Token",
        done.getString("token"));
    assertThat(again.status()).as("leaving twice").isEqualTo(409);

    // a session that runs out unused frees its slot too, and is recorded as unused
    server.sql("UPDATE admission_sessions SET expires_at = now() - interval '1 second' WHERE ticket_id = '"
        + people.get(1).getString("id") + "'");
    Poll.until(() -> count("tickets WHERE queue_id = '" + q + "' AND status = 'admitted'"), n -> n == 5, 5_000,
        "an expired session's slot is reused");
    assertThat(server.scalar("SELECT end_reason FROM admission_sessions WHERE ticket_id = '"
        + people.get(1).getString("id") + "'")).isEqualTo("unused");
  }

  @Test
  void theWaitComesFromTheRate() {
    Staff staff = server.tenant("eta-room");
    staff.queue("slow", room(new JsonObject().put("newUsersPerMinute", 1)));
    List<JsonObject> people = join(staff, "slow", 3);
    JsonObject last = staff.ticket(people.get(2));
    JsonObject eta = last.getJsonObject("eta");
    assertThat(eta.getString("basis")).isEqualTo("admission_rate");
    long ahead = last.getLong("ahead");
    assertThat(eta.getLong("p50")).as("one a minute, %d ahead", ahead).isEqualTo(60 * ahead);
    assertThat(eta.getLong("p90")).isGreaterThanOrEqualTo(eta.getLong("p50"));
  }

  @Test
  void theEmergencySwitchHoldsEveryone() {
    Staff staff = server.tenant("hold-room");
    String q = staff.queue("hold", room(new JsonObject().put("newUsersPerMinute", 6000).put("queueAll", true)))
        .getString("id");
    join(staff, "hold", 5);
    sleep(1_500);
    assertThat(count("tickets WHERE queue_id = '" + q + "' AND status = 'admitted'")).isZero();
    Resp off = staff.call("PATCH", "/api/v1/queues/" + q, room(new JsonObject().put("queueAll", false)).encode());
    assertThat(off.status()).as(off.body()).isEqualTo(200);
    Poll.until(() -> count("tickets WHERE queue_id = '" + q + "' AND status = 'admitted'"), n -> n == 5, 5_000,
        "admitted once the switch is off");
  }

  @Test
  void aClosedRoomAndOneNotOpenYetRefuseJoins() {
    Staff staff = server.tenant("shut-room");
    staff.queue("shut", room(new JsonObject().put("queueingMethod", "reject")));
    Resp r = server.http("POST", "/api/v1/public/shut-room/queues/shut/tickets", "{}");
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().getString("code")).isEqualTo("waiting_room.closed");
    staff.queue("later", room(new JsonObject().put("opensAt", Instant.now().plusSeconds(3600).toString())));
    Resp early = server.http("POST", "/api/v1/public/shut-room/queues/later/tickets", "{}");
    assertThat(early.status()).isEqualTo(409);
    assertThat(early.json().getString("code")).isEqualTo("waiting_room.not_open");
  }

  @Test
  void passthroughAdmitsAtOnceUnderTheCap() {
    Staff staff = server.tenant("pass-room");
    String q = staff.queue("pass", room(new JsonObject().put("queueingMethod", "passthrough").put("maxActiveUsers", 2)))
        .getString("id");
    join(staff, "pass", 3);
    Poll.until(() -> count("tickets WHERE queue_id = '" + q + "' AND status = 'admitted'"), n -> n == 2, 3_000,
        "two straight through");
    sleep(500);
    assertThat(count("tickets WHERE queue_id = '" + q + "' AND status = 'waiting'")).isEqualTo(1);
  }

  @Test
  void badSettingsAreRefusedAndChangeNothing() {
    Staff staff = server.tenant("bad-room");
    for (JsonObject bad : List.of(new JsonObject().put("newUsersPerMinute", "fast"),
        new JsonObject().put("sessionSeconds", 5), new JsonObject().put("queueingMethod", "vip"),
        new JsonObject().put("targetUrl", "ftp://x.example/"))) {
      Resp r = staff.call("POST", "/api/v1/queues", room(bad).put("slug", "bad").put("name", "Bad").encode());
      assertThat(r.status()).as(bad.encode()).isEqualTo(400);
      assertThat(r.header("content-type")).startsWith("application/problem+json");
    }
    Resp service = staff.call("POST", "/api/v1/queues", new JsonObject().put("slug", "svc").put("name", "S")
        .put("waitingRoom", new JsonObject().put("newUsersPerMinute", 5)).encode());
    assertThat(service.status()).as("settings on a service queue").isEqualTo(400);
    assertThat(count("queues q JOIN tenants t ON t.id = q.tenant_id WHERE t.slug = 'bad-room'")).isZero();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
