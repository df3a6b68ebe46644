package dev.virtualqueue.metrics;

import static dev.virtualqueue.metrics.PreRegisteredMetersIT.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The waiting-room gauges the alerts compare (docs/metrics.md): what a room does (sessions holding
 * a slot, people waiting) next to its settings (rate, cap, holding), read from Postgres with the
 * queue gauges every 15 s, for waiting rooms only.
 */
class WaitingRoomGaugesIT {
  static final List<String> GAUGES = List.of("vq_waiting_room_active", "vq_waiting_room_waiting",
      "vq_waiting_room_admission_rate", "vq_waiting_room_max_active", "vq_waiting_room_holding");
  /** Two refreshes of the queue gauges, and then some. */
  static final long REFRESH_DEADLINE_MILLIS = 40_000;
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static JsonObject room(JsonObject settings) {
    return new JsonObject().put("mode", "waiting_room").put("waitingRoom", settings);
  }

  @Test
  void eachRoomShowsWhatItDoesNextToWhatItIsSetTo() {
    Staff staff = server.tenant("rooms");
    String gate = staff.queue("gate", room(new JsonObject().put("newUsersPerMinute", 600).put("maxActiveUsers", 2)))
        .getString("id");
    staff.queue("hold", room(new JsonObject().put("newUsersPerMinute", 60).put("queueAll", true)));
    staff.queue("later", room(new JsonObject().put("maxActiveUsers", 5)
        .put("opensAt", Instant.now().plus(1, ChronoUnit.HOURS).toString())));
    staff.queue("desk");
    join(staff, "gate", 5);
    join(staff, "hold", 3);
    Poll.until(() -> server.count("SELECT count(*) FROM tickets WHERE queue_id = '" + gate + "' AND status = 'admitted'"),
        n -> n == 2, "the cap of gate fills");

    String scrape = awaitScrape(s -> Double.valueOf(2).equals(gauge(s, "active", "gate"))
        && Double.valueOf(3).equals(gauge(s, "waiting", "gate")) && Double.valueOf(3).equals(gauge(s, "waiting", "hold"))
        && gauge(s, "holding", "later") != null);
    SoftAssertions soft = new SoftAssertions();
    expect(soft, scrape, "gate", Map.of("active", 2.0, "waiting", 3.0, "admission_rate", 600.0, "max_active", 2.0,
        "holding", 0.0));
    expect(soft, scrape, "hold", Map.of("active", 0.0, "waiting", 3.0, "admission_rate", 60.0, "max_active", 0.0,
        "holding", 1.0));
    expect(soft, scrape, "later", Map.of("active", 0.0, "waiting", 0.0, "admission_rate", 0.0, "max_active", 5.0,
        "holding", 1.0));
    soft.assertThat(value(scrape, "vq_queue_waiting", "tenant=\"rooms\"", "queue=\"desk\"")).as("desk was read")
        .isEqualTo(0.0);
    for (String name : GAUGES) {
      soft.assertThat(value(scrape, name, "tenant=\"rooms\"", "queue=\"desk\"")).as("%s of a service queue", name).isNull();
    }
    soft.assertAll();
  }

  @Test
  void theGaugesFollowTheSwitchAndCountOnlySessionsThatHoldASlot() {
    Staff staff = server.tenant("moving");
    String flow = staff.queue("flow", room(new JsonObject().put("newUsersPerMinute", 600).put("maxActiveUsers", 2)
        .put("queueAll", true))).getString("id");
    List<JsonObject> people = join(staff, "flow", 4);
    awaitRoom("flow", 1, 0, 4);

    Resp off = staff.call("PATCH", "/api/v1/queues/" + flow, room(new JsonObject().put("queueAll", false)).encode());
    assertThat(off.status()).as(off.body()).isEqualTo(200);
    awaitRoom("flow", 0, 2, 2);

    // an admitted holder leaves: their session ends and the next person takes the slot
    JsonObject first = people.get(0);
    Resp left = server.http("DELETE", "/api/v1/tickets/" + first.getString("id"), null, "X-Ticket-Token",
        first.getString("token"));
    assertThat(left.status()).as(left.body()).isEqualTo(200);
    Poll.until(() -> server.count("SELECT count(*) FROM tickets WHERE queue_id = '" + flow + "' AND status = 'admitted'"),
        n -> n == 3, "the freed slot is taken");
    awaitRoom("flow", 0, 2, 1);
    assertThat(server.count("SELECT count(*) FROM admission_sessions WHERE queue_id = '" + flow + "'"))
        .as("three sessions, one of them ended").isEqualTo(3);
  }

  private static void expect(SoftAssertions soft, String scrape, String queue, Map<String, Double> values) {
    values.forEach((gauge, v) -> soft.assertThat(value(scrape, "vq_waiting_room_" + gauge, "tenant=\"" + tenantOf(queue)
        + "\"", "queue=\"" + queue + "\"")).as("%s of %s", gauge, queue).isEqualTo(v));
  }

  private static String tenantOf(String queue) {
    return queue.equals("flow") ? "moving" : "rooms";
  }

  /** Waits for a refresh that shows room {@code queue} holding (1/0), with {@code active} and {@code waiting}. */
  private static void awaitRoom(String queue, double holding, double active, double waiting) {
    String s = awaitScrape(x -> Double.valueOf(holding).equals(gauge(x, "holding", queue))
        && Double.valueOf(active).equals(gauge(x, "active", queue)) && Double.valueOf(waiting).equals(gauge(x, "waiting", queue)));
    assertThat(gauge(s, "admission_rate", queue)).isEqualTo(600.0);
    assertThat(gauge(s, "max_active", queue)).isEqualTo(2.0);
  }

  private static Double gauge(String scrape, String gauge, String queue) {
    return value(scrape, "vq_waiting_room_" + gauge, "tenant=\"" + tenantOf(queue) + "\"", "queue=\"" + queue + "\"");
  }

  private static List<JsonObject> join(Staff staff, String slug, int n) {
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(staff.join(slug));
    }
    return out;
  }

  private static String awaitScrape(Predicate<String> ready) {
    return Poll.until(() -> server.send("GET", server.management() + "/metrics", null).body(), ready,
        REFRESH_DEADLINE_MILLIS, "a gauge refresh showing the expected rooms");
  }
}
