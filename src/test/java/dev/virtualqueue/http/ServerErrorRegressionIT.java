package dev.virtualqueue.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests that were answered 500 (found by fuzzing the OpenAPI document, see {@code ApiFuzzIT}),
 * each with the answer it gets now. Bad input in the other cases is in {@link BadInputIT}.
 */
class ServerErrorRegressionIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static Staff owner;
  static Staff other;

  @BeforeAll
  static void start() {
    owner = server.tenant("regress");
    other = server.tenant("regress-other");
  }

  /** It answered 500 every time: Postgres could not type the parameter in {@code $3 IS NULL} (42P08). */
  @Test
  void clearingADisplayKeyMakesTheBoardPublicAgainAndIsWalledOffFromOtherTenants() {
    String queueId = owner.queue("board").getString("id");
    String key = owner.call("POST", "/api/v1/queues/" + queueId + "/display-key").json().getString("key");
    assertThat(key).startsWith("vqd_");
    assertThat(server.count("SELECT count(*) FROM queues WHERE id = '" + queueId + "' AND NOT board_public"))
        .isEqualTo(1);

    Resp foreign = other.call("DELETE", "/api/v1/queues/" + queueId + "/display-key");
    assertThat(foreign.status()).as(foreign.toString()).isEqualTo(404);
    assertThat(foreign.json().getString("code")).isEqualTo("queue.not_found");
    assertThat(server.count("SELECT count(*) FROM queues WHERE id = '" + queueId + "' AND NOT board_public"))
        .as("another tenant changed nothing").isEqualTo(1);

    Resp cleared = owner.call("DELETE", "/api/v1/queues/" + queueId + "/display-key");
    assertThat(cleared.status()).as(cleared.toString()).isEqualTo(204);
    assertThat(server.count("SELECT count(*) FROM queues WHERE id = '" + queueId
        + "' AND board_public AND display_key_hash IS NULL")).isEqualTo(1);
    // the old key opens no kiosk any more, and clearing again is harmless
    Resp kiosk = server.http("POST", "/api/v1/public/regress/queues/board/tickets", "{}", "X-Display-Key", key);
    assertThat(kiosk.status()).as(kiosk.toString()).isBetween(400, 499);
    assertThat(owner.call("DELETE", "/api/v1/queues/" + queueId + "/display-key").status()).isEqualTo(204);
  }

  /** {@code counters.opened_by} references staff_users: an API key opening a counter broke the foreign key (23503). */
  @Test
  void anIntegrationOpensACounterWithItsApiKeyAndIsRecordedAsTheOpener() {
    String queueId = owner.queue("api").getString("id");
    Resp made = owner.call("POST", "/api/v1/api-keys",
        new JsonObject().put("name", "kiosk integration").put("role", "agent").encode());
    assertThat(made.status()).isEqualTo(201);
    Staff integration = new Staff(server, owner.tenant(), made.json().getString("key"));
    String keyId = made.json().getString("id");
    String counterId = owner.call("POST", "/api/v1/queues/" + queueId + "/counters", "{\"name\":\"Robot\"}")
        .json().getString("id");

    Resp opened = integration.call("POST", "/api/v1/counters/" + counterId + "/open");
    assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
    assertThat(opened.json().getString("status")).isEqualTo("open");
    assertThat(opened.json().getString("openedBy")).isEqualTo(keyId);
    assertThat(opened.json().getString("openedByKind")).isEqualTo("api_key");

    // the counter it opened works: it calls the next person
    owner.join("api");
    Resp called = integration.callNext(counterId);
    assertThat(called.status()).as(called.toString()).isEqualTo(200);

    // a staff member reopening it is recorded as staff; closing clears the opener
    JsonObject byStaff = owner.call("POST", "/api/v1/counters/" + counterId + "/open").json();
    assertThat(byStaff.getString("openedByKind")).isEqualTo("staff");
    assertThat(byStaff.getString("openedBy")).isNotEqualTo(keyId);
    JsonObject closed = integration.call("POST", "/api/v1/counters/" + counterId + "/close").json();
    assertThat(closed.getString("status")).isEqualTo("closed");
    assertThat(closed.containsKey("openedBy")).isFalse();
    assertThat(closed.containsKey("openedByKind")).isFalse();
  }
}
