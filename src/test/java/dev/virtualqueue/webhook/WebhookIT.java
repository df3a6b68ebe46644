package dev.virtualqueue.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import dev.virtualqueue.webhook.Receiver.Answer;
import dev.virtualqueue.webhook.Receiver.Received;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhooks as an integrator sees them, against a real receiver on 127.0.0.1 (private networks
 * allowed for it, attempts bounded to 2 s): every event arrives signed, failures are retried as
 * planned, 410 disables, Retry-After is honoured, redirects are not followed, slow receivers time
 * out, secrets rotate, and tenants stay apart.
 */
class WebhookIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("VQ_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true",
      "VQ_WEBHOOK_TIMEOUT_SECONDS", "2"));
  static final Receiver receiver = new Receiver();

  @AfterAll
  static void closeReceiver() {
    receiver.close();
  }

  static JsonObject register(Staff staff, String path, String... events) {
    Resp r = staff.call("POST", "/api/v1/webhooks", new JsonObject().put("url", receiver.url(path))
        .put("events", new JsonArray(List.of((Object[]) events))).put("description", "test " + path).encode());
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json();
  }

  static List<Received> await(String path, int n) {
    return Poll.until(() -> receiver.at(path), l -> l.size() >= n, path + " received " + n);
  }

  static JsonArray deliveries(Staff staff, String webhookId, String query) {
    Resp r = staff.call("GET", "/api/v1/webhooks/" + webhookId + "/deliveries" + query);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.items();
  }

  static JsonObject awaitDelivery(Staff staff, String webhookId, Predicate<JsonObject> ok,
                                  String what) {
    return Poll.until(() -> {
      JsonArray items = deliveries(staff, webhookId, "");
      return items.isEmpty() ? null : items.getJsonObject(0);
    }, d -> d != null && ok.test(d), what);
  }

  @Test
  void everyEventArrivesSignedWithItsSequenceAndWithoutToken() throws Exception {
    Staff staff = server.tenant("hooked");
    JsonObject hook = register(staff, "/all", "*");
    String secret = hook.getString("secret");
    assertThat(secret).startsWith("whsec_");
    assertThat(staff.call("GET", "/api/v1/webhooks/" + hook.getString("id")).json().containsKey("secret")).isFalse();
    Staff other = server.tenant("elsewhere");
    register(other, "/other", "*");

    String queueId = staff.queue("front").getString("id");
    String counterId = staff.openCounter(queueId, "Desk 1");
    JsonObject ann = staff.join("front", new JsonObject().put("name", "Ann"));
    staff.join("front", new JsonObject().put("name", "Bob"));
    String otherQueue = other.queue("back").getString("id");
    other.join("back");
    JsonObject called = staff.callNext(counterId).json();
    assertThat(called.getString("id")).isEqualTo(ann.getString("id"));
    assertThat(staff.call("POST", "/api/v1/tickets/" + ann.getString("id") + "/start").status()).isEqualTo(200);
    assertThat(staff.call("POST", "/api/v1/tickets/" + ann.getString("id") + "/complete").status()).isEqualTo(200);
    assertThat(staff.call("POST", "/api/v1/queues/" + queueId + "/pause").status()).isEqualTo(200);

    Set<String> expected = Set.of("counter.opened", "ticket.created", "ticket.called", "ticket.serving",
        "ticket.served", "queue.paused");
    List<Received> all = Poll.until(() -> receiver.at("/all"), l -> types(l).containsAll(expected),
        "every event type at /all");
    Set<String> ids = new HashSet<>();
    for (Received r : all) {
      checkDelivery(r, secret, queueId, List.of(ann.getString("token"), otherQueue));
      assertThat(ids.add(r.header("webhook-id"))).as("one delivery per event").isTrue();
    }
    List<Integer> annSequence = all.stream().map(Received::json).filter(b -> b.getString("type").startsWith("ticket.")
        && ann.getString("id").equals(b.getJsonObject("data").getString("id")))
        .map(b -> b.getJsonObject("data").getInteger("sequence")).sorted().toList();
    assertThat(annSequence).as("Ann's created, called, serving, served").hasSize(4).doesNotHaveDuplicates();
    assertThat(types(await("/other", 1))).containsExactly("ticket.created");
    assertThat(receiver.at("/other").get(0).body()).doesNotContain(queueId);
  }

  @Test
  void aReceiverThatFailsThenSucceedsGetsTheEventOnTheRetry() {
    Staff staff = server.tenant("flaky");
    receiver.script("/flaky", n -> n == 0 ? new Answer(500, Map.of(), "boom: try later", 0) : Answer.of(204));
    JsonObject hook = register(staff, "/flaky", "ticket.created");
    staff.queue("q");
    staff.join("q");
    List<Received> got = await("/flaky", 2);
    assertThat(got.get(1).header("webhook-id")).isEqualTo(got.get(0).header("webhook-id"));
    assertThat(got.get(1).atMillis() - got.get(0).atMillis()).as("first retry after about 5 s").isBetween(4_000L, 9_000L);

    JsonObject d = awaitDelivery(staff, hook.getString("id"), x -> "succeeded".equals(x.getString("status")),
        "delivery succeeded");
    assertThat(d.getString("type")).isEqualTo("ticket.created");
    assertThat(d.getInteger("attemptCount")).isEqualTo(2);
    JsonArray attempts = d.getJsonArray("attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.getJsonObject(0).getInteger("statusCode")).isEqualTo(500);
    assertThat(attempts.getJsonObject(0).getString("responseExcerpt")).isEqualTo("boom: try later");
    assertThat(attempts.getJsonObject(0).getInteger("latencyMs")).isNotNull().isGreaterThanOrEqualTo(0);
    assertThat(attempts.getJsonObject(1).getInteger("statusCode")).isEqualTo(204);
    assertThat(staff.call("GET", "/api/v1/webhooks/" + hook.getString("id")).json().containsKey("failingSince"))
        .as("a success ends the failing run").isFalse();
  }

  @Test
  void goneDisablesTheEndpointAndItsDeadLetterCanBeRetriedOnceReEnabled() {
    Staff staff = server.tenant("gone");
    receiver.script("/gone", n -> n == 0 ? Answer.of(410) : Answer.of(200));
    JsonObject hook = register(staff, "/gone", "ticket.created");
    String id = hook.getString("id");
    staff.queue("q");
    staff.join("q");
    JsonObject dead = awaitDelivery(staff, id, x -> "dead".equals(x.getString("status")), "dead letter");
    JsonObject endpoint = staff.call("GET", "/api/v1/webhooks/" + id).json();
    assertThat(endpoint.getBoolean("enabled")).isFalse();
    assertThat(endpoint.getString("disabledReason")).isEqualTo("gone");
    staff.join("q");
    assertThat(deliveries(staff, id, "?status=dead")).hasSize(1);
    assertThat(deliveries(staff, id, "?status=pending")).as("a disabled endpoint gets no new deliveries").isEmpty();
    String retry = "/api/v1/webhooks/" + id + "/deliveries/" + dead.getString("id") + "/retry";
    assertThat(staff.call("POST", retry).json().getString("code")).isEqualTo("webhook.disabled");

    Resp enabled = staff.call("PATCH", "/api/v1/webhooks/" + id, "{\"enabled\":true}");
    assertThat(enabled.json().getBoolean("enabled")).isTrue();
    assertThat(enabled.json().containsKey("disabledReason")).isFalse();
    assertThat(enabled.json().containsKey("failingSince")).isFalse();
    Resp queued = staff.call("POST", retry);
    assertThat(queued.status()).as("%s", queued).isEqualTo(202);
    await("/gone", 2);
    JsonObject done = Poll.until(() -> deliveries(staff, id, "?status=succeeded"), a -> a.size() == 1,
        "retried dead letter delivered").getJsonObject(0);
    assertThat(done.getString("id")).isEqualTo(dead.getString("id"));
    assertThat(done.getJsonArray("attempts")).hasSize(2);
    assertThat(staff.call("POST", retry).json().getString("code")).isEqualTo("webhook.delivery_succeeded");
    assertThat(deliveries(staff, id, "?status=dead")).isEmpty();
  }

  @Test
  void retryAfterOn429And503IsHonoured() {
    Staff staff = server.tenant("busy");
    receiver.script("/busy", n -> new Answer(n == 0 ? 429 : 503, Map.of("Retry-After", "120"), "slow down", 0));
    JsonObject hook = register(staff, "/busy", "ticket.created");
    staff.queue("q");
    staff.join("q");
    JsonObject d = awaitDelivery(staff, hook.getString("id"), x -> x.getInteger("attemptCount") == 1, "one attempt");
    Instant tried = Instant.parse(d.getJsonArray("attempts").getJsonObject(0).getString("attemptedAt"));
    Instant next = Instant.parse(d.getString("nextAttemptAt"));
    assertThat(d.getString("status")).isEqualTo("pending");
    assertThat(Duration.between(tried, next).toSeconds()).as("Retry-After: 120 beats the plan's 5 s")
        .isBetween(118L, 125L);
  }

  @Test
  void redirectsAreNotFollowed() {
    Staff staff = server.tenant("moved");
    receiver.script("/moved", n -> new Answer(302, Map.of("Location", receiver.url("/moved-target")), "", 0));
    JsonObject hook = register(staff, "/moved", "ticket.created");
    staff.queue("q");
    staff.join("q");
    JsonObject d = awaitDelivery(staff, hook.getString("id"), x -> x.getInteger("attemptCount") == 1, "one attempt");
    JsonObject attempt = d.getJsonArray("attempts").getJsonObject(0);
    assertThat(attempt.getInteger("statusCode")).isEqualTo(302);
    assertThat(attempt.getString("error")).contains("redirect not followed");
    assertThat(d.getString("status")).isEqualTo("pending");
    assertThat(receiver.at("/moved-target")).isEmpty();
  }

  @Test
  void aSlowReceiverTimesOut() {
    Staff staff = server.tenant("slow");
    receiver.script("/slow", n -> new Answer(200, Map.of(), "late", 6_000));
    JsonObject hook = register(staff, "/slow", "ticket.created");
    staff.queue("q");
    staff.join("q");
    JsonObject d = awaitDelivery(staff, hook.getString("id"), x -> x.getInteger("attemptCount") == 1, "one attempt");
    JsonObject attempt = d.getJsonArray("attempts").getJsonObject(0);
    assertThat(attempt.containsKey("statusCode")).isFalse();
    assertThat(attempt.getString("error")).contains("within 2 s");
    assertThat(attempt.getInteger("latencyMs")).isBetween(1_900, 4_000);
    assertThat(d.getString("status")).isEqualTo("pending");
  }

  @Test
  void afterARotationBothSecretsSignAndEachSignatureVerifies() throws Exception {
    Staff staff = server.tenant("rotor");
    JsonObject hook = register(staff, "/rotor", "ticket.created");
    String old = hook.getString("secret");
    Resp rotated = staff.call("POST", "/api/v1/webhooks/" + hook.getString("id") + "/rotate-secret");
    assertThat(rotated.status()).isEqualTo(200);
    String fresh = rotated.json().getString("secret");
    assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
    assertThat(Instant.parse(rotated.json().getString("previousSecretExpiresAt")))
        .isBetween(Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));
    staff.queue("q");
    staff.join("q");
    Received r = await("/rotor", 1).get(0);
    String[] signatures = r.header("webhook-signature").split(" ");
    assertThat(signatures).hasSize(2);
    r.verify(fresh, signatures[0]);
    r.verify(old, signatures[1]);
    assertThatThrownBy(() -> r.verify(old, signatures[0])).isNotNull();
    r.verify(old);
    r.verify(fresh);
  }

  @Test
  void theTestEndpointDeliversAWebhookTestToThatEndpointOnly() throws Exception {
    Staff staff = server.tenant("tester");
    JsonObject hook = register(staff, "/tested", "ticket.called");
    register(staff, "/untested", "*");
    Resp r = staff.call("POST", "/api/v1/webhooks/" + hook.getString("id") + "/test");
    assertThat(r.status()).as("%s", r).isEqualTo(202);
    Received got = await("/tested", 1).get(0);
    got.verify(hook.getString("secret"));
    assertThat(got.json().getString("type")).isEqualTo("webhook.test");
    assertThat(got.json().getJsonObject("data").getString("endpointId")).isEqualTo(hook.getString("id"));
    JsonObject d = awaitDelivery(staff, hook.getString("id"), x -> "succeeded".equals(x.getString("status")),
        "test delivered");
    assertThat(d.getString("id")).isEqualTo(r.json().getString("deliveryId"));
    assertThat(receiver.at("/untested")).isEmpty();
  }

  @Test
  void anotherTenantSeesNoneOfItAndViewersOnlyRead() {
    Staff owner = server.tenant("walled");
    JsonObject hook = register(owner, "/walled", "ticket.created");
    String id = hook.getString("id");
    Resp test = owner.call("POST", "/api/v1/webhooks/" + id + "/test");
    String delivery = test.json().getString("deliveryId");
    Staff intruder = server.tenant("intruder");
    String base = "/api/v1/webhooks/" + id;
    for (String[] call : List.of(new String[] {"GET", base}, new String[] {"PATCH", base},
        new String[] {"DELETE", base}, new String[] {"POST", base + "/rotate-secret"},
        new String[] {"GET", base + "/deliveries"}, new String[] {"POST", base + "/test"},
        new String[] {"POST", base + "/deliveries/" + delivery + "/retry"})) {
      Resp r = intruder.call(call[0], call[1], call[0].equals("PATCH") ? "{\"enabled\":false}" : null);
      assertThat(r.status()).as("%s %s: %s", call[0], call[1], r).isEqualTo(404);
      assertThat(r.json().getString("code")).isEqualTo("webhook.not_found");
    }
    assertThat(intruder.call("GET", "/api/v1/webhooks").items()).isEmpty();
    assertThat(owner.call("GET", base).json().getBoolean("enabled")).isTrue();

    Resp viewer = owner.call("POST", "/api/v1/staff", new JsonObject().put("email", "viewer@walled.test")
        .put("displayName", "Viewer").put("role", "viewer").put("password", "a viewer password 123").encode());
    assertThat(viewer.status()).as("%s", viewer).isEqualTo(201);
    Staff view = new Staff(server, "walled", server.login("walled", "viewer@walled.test", "a viewer password 123"));
    assertThat(view.call("GET", "/api/v1/webhooks").items()).hasSize(1);
    assertThat(view.call("GET", base + "/deliveries").status()).isEqualTo(200);
    assertThat(view.call("POST", "/api/v1/webhooks", "{\"url\":\"http://127.0.0.1:1/\",\"events\":[\"*\"]}").status())
        .isEqualTo(403);
    assertThat(view.call("DELETE", base).status()).isEqualTo(403);
    assertThat(owner.call("DELETE", base).status()).isEqualTo(204);
    assertThat(owner.call("GET", base).status()).isEqualTo(404);
  }

  @Test
  void badRegistrationsAreRefusedWithStableCodesAndChangeNothing() {
    Staff staff = server.tenant("strict");
    Map<String, String> cases = Map.of(
        "{\"url\":\"http://127.0.0.1:1/\",\"events\":[\"ticket.teleported\"]}", "webhook.unknown_event",
        "{\"url\":\"http://127.0.0.1:1/\",\"events\":[]}", "webhook.events_required",
        "{\"url\":\"http://127.0.0.1:1/\",\"events\":[\"*\",\"ticket.called\"]}", "webhook.events_invalid",
        "{\"url\":\"ftp://127.0.0.1/\",\"events\":[\"*\"]}", "webhook.url_invalid",
        "{\"url\":\"http://localhost:8080/\",\"events\":[\"*\"]}", "webhook.url_forbidden",
        "{\"url\":\"http://127.0.0.1:1/\",\"events\":[\"*\"],\"secret\":\"x\"}", "request.unknown_field");
    cases.forEach((body, code) -> {
      Resp r = staff.call("POST", "/api/v1/webhooks", body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.json().getString("code")).as(body).isEqualTo(code);
    });
    assertThat(staff.call("GET", "/api/v1/webhooks").items()).isEmpty();
    JsonObject hook = register(staff, "/strict", "ticket.called");
    Resp bad = staff.call("PATCH", "/api/v1/webhooks/" + hook.getString("id"), "{\"events\":[\"nope\"]}");
    assertThat(bad.json().getString("code")).isEqualTo("webhook.unknown_event");
    Resp status = staff.call("GET", "/api/v1/webhooks/" + hook.getString("id") + "/deliveries?status=lost");
    assertThat(status.json().getString("code")).isEqualTo("webhook.invalid_status");
    JsonObject patched = staff.call("PATCH", "/api/v1/webhooks/" + hook.getString("id"),
        "{\"events\":[\"ticket.served\",\"ticket.called\"],\"description\":\"\"}").json();
    assertThat(patched.getJsonArray("events")).containsExactly("ticket.called", "ticket.served");
    assertThat(patched.containsKey("description")).isFalse();
  }

  @Test
  void listsArePagedWithACursor() {
    Staff staff = server.tenant("pager");
    for (int i = 0; i < 3; i++) {
      register(staff, "/page" + i, "ticket.called");
    }
    Resp first = staff.call("GET", "/api/v1/webhooks?limit=2");
    assertThat(first.items()).hasSize(2);
    String cursor = first.json().getString("nextCursor");
    Resp second = staff.call("GET", "/api/v1/webhooks?limit=2&cursor=" + cursor);
    assertThat(second.items()).hasSize(1);
    assertThat(second.json().containsKey("nextCursor")).isFalse();
  }

  @Test
  void finishedDeliveriesArePurgedAfterTheRetention() throws Exception {
    Staff staff = server.tenant("purged");
    JsonObject hook = register(staff, "/purged", "ticket.created");
    String id = hook.getString("id");
    staff.call("POST", "/api/v1/webhooks/" + id + "/test");
    staff.call("POST", "/api/v1/webhooks/" + id + "/test");
    Poll.until(() -> deliveries(staff, id, "?status=succeeded").size(), n -> n == 2, "two delivered");
    String old = deliveries(staff, id, "").getJsonObject(1).getString("id");
    server.sql("UPDATE webhook_deliveries SET finished_at = now() - interval '31 days' WHERE id = '" + old + "'");
    int purged = server.app().modules().webhooks().deliveries().purge(WebhookVerticle.RETENTION, 100)
        .toCompletionStage().toCompletableFuture().get();
    assertThat(purged).isEqualTo(1);
    assertThat(deliveries(staff, id, "")).hasSize(1);
    assertThat(server.count("SELECT count(*) FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id"
        + " WHERE d.endpoint_id = '" + id + "'")).isEqualTo(1);
  }

  @Test
  void theWebhookMetersAreExported() {
    String scrape = server.send("GET", server.management() + "/metrics", null).body();
    for (String result : WebhookMetrics.RESULTS) {
      assertThat(scrape).contains("vq_webhook_deliveries_total{result=\"" + result + "\"}");
    }
    for (String reason : WebhookMetrics.DISABLE_REASONS) {
      assertThat(scrape).contains("vq_webhook_endpoints_disabled_total{reason=\"" + reason + "\"}");
    }
    assertThat(scrape).contains("vq_webhook_delivery_seconds_bucket").contains("vq_webhook_dead_letters ");
  }

  /** A signed Standard Webhooks delivery of this tenant's queue, holding none of {@code absent}. */
  private static void checkDelivery(Received r, String secret, String queueId, List<String> absent) {
    assertThatCode(() -> r.verify(secret)).as("signature of %s", r.body()).doesNotThrowAnyException();
    assertThat(r.header("webhook-id")).matches("msg_[0-9a-f]{32}");
    assertThat(r.header("content-type")).isEqualTo("application/json");
    assertThat(r.header("user-agent")).startsWith("virtual-queue-webhooks/");
    JsonObject body = r.json();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("type", "timestamp", "data");
    JsonObject data = body.getJsonObject("data");
    assertThat(data.containsKey("token")).isFalse();
    absent.forEach(a -> assertThat(r.body()).doesNotContain(a));
    if (body.getString("type").startsWith("ticket.")) {
      assertThat(data.getString("queueId")).isEqualTo(queueId);
      assertThat(data.getInteger("sequence")).isNotNull();
    }
  }

  private static Set<String> types(List<Received> l) {
    Set<String> out = new HashSet<>();
    l.forEach(r -> out.add(r.json().getString("type")));
    return out;
  }
}
