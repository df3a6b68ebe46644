package dev.virtualqueue.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rule 1: a join that names no class lands in the first self-service class, never in a
 * staff-only class ahead of everyone (the README's clinic queue: "urgent" first, staff only).
 */
class DefaultClassIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static Staff staff;
  static String clinicKey;
  static String staffOnlyKey;
  static String staffOnlyId;

  @BeforeAll
  static void start() {
    staff = server.tenant("defcls");
    JsonObject clinic = staff.queue("clinic", new JsonObject().put("priorityClasses", new JsonArray()
        .add(new JsonObject().put("name", "urgent").put("selfService", false))
        .add(new JsonObject().put("name", "standard").put("selfService", true))));
    clinicKey = displayKey(clinic.getString("id"));
    JsonObject closed = staff.queue("desk", new JsonObject().put("priorityClasses", new JsonArray()
        .add(new JsonObject().put("name", "vip").put("selfService", false))
        .add(new JsonObject().put("name", "booked").put("selfService", false))));
    staffOnlyId = closed.getString("id");
    staffOnlyKey = displayKey(staffOnlyId);
  }

  private static String displayKey(String queueId) {
    return staff.call("POST", "/api/v1/queues/" + queueId + "/display-key").json().getString("key");
  }

  private static Resp publicJoin(String queue, String body, String... headers) {
    return server.http("POST", "/api/v1/public/defcls/queues/" + queue + "/tickets", body, headers);
  }

  @Test
  void aPublicJoinWithoutClassTakesTheFirstSelfServiceClass() {
    Resp named = publicJoin("clinic", "{\"priority\":\"urgent\"}");
    assertThat(named.status()).isEqualTo(403);
    Resp bare = publicJoin("clinic", "{}");
    assertThat(bare.status()).as(bare.toString()).isEqualTo(201);
    assertThat(bare.json().getString("priority")).isEqualTo("standard");
  }

  @Test
  void aJoinWithNoBodyAtAllIsAJoinWithoutClass() {
    Resp none = publicJoin("clinic", null);
    assertThat(none.status()).as(none.toString()).isEqualTo(201);
    assertThat(none.json().getString("priority")).isEqualTo("standard");
  }

  @Test
  void aKioskJoinWithoutClassTakesTheFirstSelfServiceClassButMayNameAny() {
    Resp bare = publicJoin("clinic", "{}", "X-Display-Key", clinicKey);
    assertThat(bare.status()).as(bare.toString()).isEqualTo(201);
    assertThat(bare.json().getString("priority")).isEqualTo("standard");
    Resp named = publicJoin("clinic", "{\"priority\":\"urgent\"}", "X-Display-Key", clinicKey);
    assertThat(named.status()).isEqualTo(201);
    assertThat(named.json().getString("priority")).isEqualTo("urgent");
  }

  @Test
  void aQueueWithoutSelfServiceClassRefusesADefaultJoinAndChangesNothing() {
    long before = server.count("SELECT count(*) FROM tickets");
    Resp pub = publicJoin("desk", "{}");
    assertThat(pub.status()).isEqualTo(403);
    assertThat(pub.json().getString("code")).isEqualTo("queue.no_self_service_class");
    Resp kiosk = publicJoin("desk", "{}", "X-Display-Key", staffOnlyKey);
    assertThat(kiosk.status()).isEqualTo(400);
    assertThat(kiosk.json().getString("code")).isEqualTo("ticket.priority_required");
    assertThat(server.count("SELECT count(*) FROM tickets")).isEqualTo(before);
    // staff choose; without a choice, the first class
    Resp byStaff = staff.call("POST", "/api/v1/queues/" + staffOnlyId + "/tickets", "{}");
    assertThat(byStaff.status()).isEqualTo(201);
    assertThat(byStaff.json().getString("priority")).isEqualTo("vip");
  }
}
