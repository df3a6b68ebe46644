package dev.virtualqueue.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /api/v1/public/{tenant}/queues/{queue}, kiosk joins with the display key, and the pages' headers. */
class PublicQueueIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static Staff staff;
  private static String queueId;

  @BeforeAll
  static void start() {
    staff = server.tenant("pub");
    JsonArray classes = new JsonArray()
        .add(new JsonObject().put("name", "urgent").put("selfService", false))
        .add(new JsonObject().put("name", "standard").put("selfService", true));
    queueId = staff.queue("clinic", new JsonObject().put("priorityClasses", classes)).getString("id");
  }

  @Test
  void showsTheQueueWithItsSelfServiceClassesAndWaitingCount() {
    long before = server.http("GET", "/api/v1/public/pub/queues/clinic", null).json().getLong("waiting");
    staff.join("clinic", new JsonObject().put("priority", "standard"));
    Resp r = server.http("GET", "/api/v1/public/pub/queues/clinic", null);
    assertThat(r.status()).isEqualTo(200);
    JsonObject q = r.json();
    assertThat(q.getString("id")).isEqualTo(queueId);
    assertThat(q.getString("name")).isEqualTo("Queue clinic");
    assertThat(q.getString("status")).isEqualTo("open");
    assertThat(q.getBoolean("accepting")).isTrue();
    assertThat(q.getBoolean("kiosk")).isFalse();
    assertThat(q.getJsonArray("priorityClasses")).containsExactly(new JsonObject().put("name", "standard"));
    assertThat(q.getLong("waiting")).isEqualTo(before + 1);
    assertThat(q.fieldNames()).doesNotContain("tenantId", "displayKey", "openingHours");

    assertThat(server.http("GET", "/api/v1/public/pub/queues/nope", null).status()).isEqualTo(404);
    assertThat(server.http("GET", "/api/v1/public/other/queues/clinic", null).status()).isEqualTo(404);
  }

  @Test
  void aWaitingRoomShowsItsScheduleAndTargetButNoSecret() {
    Instant pre = Instant.parse("2031-05-01T09:00:00Z");
    Instant opens = Instant.parse("2031-05-01T10:00:00Z");
    staff.queue("drop", new JsonObject().put("mode", "waiting_room").put("waitingRoom", new JsonObject()
        .put("newUsersPerMinute", 120).put("maxActiveUsers", 50).put("audience", "https://shop.example.test")
        .put("targetUrl", "https://shop.example.test/buy").put("prequeueOpensAt", pre.toString())
        .put("opensAt", opens.toString()).put("sessionSeconds", 900)));
    JsonObject q = server.http("GET", "/api/v1/public/pub/queues/drop", null).json();
    assertThat(q.getString("mode")).isEqualTo("waiting_room");
    assertThat(q.getBoolean("accepting")).as("before the pre-queue opens").isFalse();
    assertThat(q.getJsonObject("waitingRoom")).isEqualTo(new JsonObject().put("queueingMethod", "fifo")
        .put("newUsersPerMinute", 120).put("prequeueOpensAt", pre.toString()).put("opensAt", opens.toString())
        .put("holding", true).put("targetUrl", "https://shop.example.test/buy"));

    staff.queue("hold", new JsonObject().put("mode", "waiting_room")
        .put("waitingRoom", new JsonObject().put("maxActiveUsers", 5).put("queueAll", true)));
    JsonObject held = server.http("GET", "/api/v1/public/pub/queues/hold", null).json().getJsonObject("waitingRoom");
    assertThat(held).isEqualTo(new JsonObject().put("queueingMethod", "fifo").put("holding", true));
    staff.queue("open-room", new JsonObject().put("mode", "waiting_room"));
    assertThat(server.http("GET", "/api/v1/public/pub/queues/open-room", null).json().getJsonObject("waitingRoom"))
        .isEqualTo(new JsonObject().put("queueingMethod", "fifo").put("newUsersPerMinute", 60).put("holding", false));
    assertThat(server.http("GET", "/api/v1/public/pub/queues/clinic", null).json().containsKey("waitingRoom"))
        .as("a service queue has none").isFalse();
  }

  @Test
  void aPausedQueueSaysItIsNotAccepting() {
    String id = staff.queue("paused-one").getString("id");
    staff.call("POST", "/api/v1/queues/" + id + "/pause");
    JsonObject q = server.http("GET", "/api/v1/public/pub/queues/paused-one", null).json();
    assertThat(q.getString("status")).isEqualTo("paused");
    assertThat(q.getBoolean("accepting")).isFalse();
  }

  @Test
  void theDisplayKeyShowsEveryClassAndLetsAKioskIssueThem() {
    String noKey = new JsonObject().put("priority", "urgent").encode();
    Resp refused = server.http("POST", "/api/v1/public/pub/queues/clinic/tickets", noKey);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getString("code")).isEqualTo("ticket.priority_not_self_service");

    // a queue without a display key has no kiosk key to match
    Resp noKeySet = server.http("GET", "/api/v1/public/pub/queues/clinic", null, "X-Display-Key", "vqd_guess");
    assertThat(noKeySet.status()).isEqualTo(403);
    assertThat(noKeySet.json().getString("code")).isEqualTo("kiosk.invalid_key");

    String key = staff.call("POST", "/api/v1/queues/" + queueId + "/display-key").json().getString("key");
    JsonObject q = server.http("GET", "/api/v1/public/pub/queues/clinic", null, "X-Display-Key", key).json();
    assertThat(q.getBoolean("kiosk")).isTrue();
    assertThat(q.getJsonArray("priorityClasses")).hasSize(2);

    Resp issued = server.http("POST", "/api/v1/public/pub/queues/clinic/tickets", noKey, "X-Display-Key", key);
    assertThat(issued.status()).isEqualTo(201);
    assertThat(issued.json().getString("priority")).isEqualTo("urgent");
    assertThat(issued.json().getString("token")).isNotBlank();

    Resp wrong = server.http("POST", "/api/v1/public/pub/queues/clinic/tickets", noKey, "X-Display-Key", key + "x");
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(wrong.json().getString("code")).isEqualTo("kiosk.invalid_key");
    Resp empty = server.http("GET", "/api/v1/public/pub/queues/clinic", null, "X-Display-Key", "");
    assertThat(empty.status()).isEqualTo(401);
  }

  @Test
  void pagesAndAssetsAreServedWithTheirOwnStrictPolicy() {
    for (String path : new String[] {"/q/pub/clinic", "/kiosk/pub/clinic", "/board/" + queueId, "/staff"}) {
      Resp page = server.http("GET", path, null);
      assertThat(page.status()).as(path).isEqualTo(200);
      assertThat(page.contentType()).startsWith("text/html");
      assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'").contains("script-src 'self'")
          .doesNotContain("unsafe-inline").contains("frame-ancestors 'none'");
      assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
      assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }
    Resp js = server.http("GET", "/assets/join.js", null);
    assertThat(js.status()).isEqualTo(200);
    assertThat(js.contentType()).startsWith("text/javascript");
    assertThat(js.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(js.header("Last-Modified")).isNotNull();
    Resp lib = server.http("GET", "/vendor/qrcode-generator-2.0.4/qrcode.mjs", null);
    assertThat(lib.status()).isEqualTo(200);
    assertThat(lib.contentType()).startsWith("text/javascript");
    assertThat(lib.header("Cache-Control")).contains("max-age=86400");

    assertThat(server.http("GET", "/assets/", null).status()).isEqualTo(404);
    assertThat(server.http("GET", "/assets/../openapi/openapi.json", null).status()).isEqualTo(404);
    assertThat(server.http("GET", "/assets/nope.js", null).status()).isEqualTo(404);
    // the API keeps its own stricter policy
    assertThat(server.http("GET", "/api/v1/public/pub/queues/clinic", null).header("Content-Security-Policy"))
        .startsWith("default-src 'none'");
  }
}
