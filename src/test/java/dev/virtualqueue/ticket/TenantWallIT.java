package dev.virtualqueue.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A second tenant's staff, API keys and ticket tokens reach nothing of the first tenant. */
class TenantWallIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static Staff owner;
  static Staff intruder;
  static String intruderKey;
  static String queueId;
  static String counterId;
  static JsonObject ticket;

  @BeforeAll
  static void start() {
    owner = server.tenant("first");
    intruder = server.tenant("second");
    queueId = owner.queue("private").getString("id");
    counterId = owner.openCounter(queueId, "C");
    ticket = owner.join("private");
    Resp key = intruder.call("POST", "/api/v1/api-keys", new JsonObject().put("name", "k").put("role", "admin").encode());
    assertThat(key.status()).isEqualTo(201);
    intruderKey = key.json().getString("key");
  }

  @Test
  void everyRouteOfTheFirstTenantIs404ForTheSecond() {
    String t = "/api/v1/tickets/" + ticket.getString("id");
    String q = "/api/v1/queues/" + queueId;
    String c = "/api/v1/counters/" + counterId;
    List<String[]> routes = List.of(
        new String[] {"GET", q, null}, new String[] {"PATCH", q, "{\"name\":\"x\"}"},
        new String[] {"POST", q + "/pause", null}, new String[] {"POST", q + "/resume", null},
        new String[] {"POST", q + "/close", null}, new String[] {"GET", q + "/snapshot", null},
        new String[] {"GET", q + "/tickets", null}, new String[] {"POST", q + "/tickets", "{}"},
        new String[] {"GET", q + "/counters", null}, new String[] {"POST", q + "/counters", "{\"name\":\"Z\"}"},
        new String[] {"GET", c, null}, new String[] {"POST", c + "/open", null}, new String[] {"POST", c + "/close", null},
        new String[] {"POST", c + "/call-next", null}, new String[] {"GET", t, null},
        new String[] {"POST", t + "/start", null}, new String[] {"POST", t + "/complete", null},
        new String[] {"POST", t + "/no-show", null}, new String[] {"POST", t + "/recall", null},
        new String[] {"POST", t + "/transfer", "{\"queueId\":\"" + queueId + "\"}"});
    for (String[] r : routes) {
      for (String auth : List.of("Bearer " + intruder.token(), "Bearer " + intruderKey)) {
        Resp resp = server.http(r[0], r[1], r[2], "Authorization", auth);
        assertThat(resp.status()).as("%s %s with %s: %s", r[0], r[1], auth.substring(0, 12), resp).isEqualTo(404);
        assertThat(resp.contentType()).startsWith("application/problem+json");
      }
    }
    // nothing changed for the first tenant
    assertThat(owner.ticket(ticket).getString("status")).isEqualTo("waiting");
    assertThat(owner.call("GET", q).json().getString("status")).isEqualTo("open");
    assertThat(owner.call("GET", c).json().getString("status")).isEqualTo("open");
    assertThat(server.count("SELECT count(*) FROM counters WHERE queue_id = '" + queueId + "'")).isEqualTo(1);
  }

  @Test
  void transferIntoAnotherTenantsQueueIsRefused() {
    JsonObject mine = intruder.queue("mine");
    String myCounter = intruder.openCounter(mine.getString("id"), "C");
    JsonObject myTicket = intruder.join("mine");
    intruder.callNext(myCounter);
    Resp r = intruder.call("POST", "/api/v1/tickets/" + myTicket.getString("id") + "/transfer",
        new JsonObject().put("queueId", queueId).encode());
    assertThat(r.status()).isEqualTo(404);
    assertThat(owner.call("GET", "/api/v1/queues/" + queueId + "/tickets").items()).hasSize(1);
  }

  @Test
  void anotherTicketsTokenOpensNothing() {
    JsonObject other = owner.join("private");
    Resp r = server.http("GET", "/api/v1/tickets/" + ticket.getString("id"), null,
        "X-Ticket-Token", other.getString("token"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().getString("code")).isEqualTo("ticket.invalid_token");
  }
}
