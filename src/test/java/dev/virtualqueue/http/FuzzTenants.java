package dev.virtualqueue.http;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The two tenants the fuzz test works on. Tenant A has every role signed in, an API key, queues,
 * an open counter and tickets; every name it holds carries the marker {@link #A_MARKER}, and its
 * ticket codes start with {@code ZZZ}. Tenant B is the intruder: it uses A's ids and must never see
 * any of A's data.
 */
final class FuzzTenants {
  static final String A_MARKER = "alphasecret";
  static final String B_MARKER = "bravo";

  /** Who sends a request: its Authorization header and ticket token (either may be null). */
  record Identity(String name, boolean intruder, String authorization, String ticketToken, String marker) {
  }

  final List<Identity> identities = new ArrayList<>();
  /** Path parameter and body uuid field values, by name: always tenant A's (B's requests use them too). */
  final Map<String, String> ids = new HashMap<>();
  /** Strings of tenant A that must not appear in any answer to tenant B. */
  final List<String> secretsOfA = new ArrayList<>();
  final Staff ownerA;
  final Staff ownerB;

  FuzzTenants(TestServer server) {
    ownerA = server.tenant(A_MARKER + "-t");
    ownerB = server.tenant(B_MARKER + "-t");
    String queueA = ownerA.queue(A_MARKER + "-q", new JsonObject().put("name", A_MARKER + " queue")
        .put("ticketPrefix", "ZZZ")).getString("id");
    String otherQueueA = ownerA.queue(A_MARKER + "-q2", new JsonObject().put("ticketPrefix", "ZZZ")).getString("id");
    String counterA = ownerA.openCounter(queueA, A_MARKER + " counter");
    JsonObject called = ownerA.join(A_MARKER + "-q", new JsonObject().put("name", A_MARKER + " first"));
    ownerA.callNext(counterA);
    JsonObject ticketA = ownerA.join(A_MARKER + "-q", new JsonObject().put("name", A_MARKER + " person")
        .put("email", A_MARKER + "@example.test"));
    String victimKey = apiKey(ownerA, "victim", "viewer").getString("id");
    JsonObject keyA = apiKey(ownerA, A_MARKER + " integration", "admin");
    String[] hookA = webhook(ownerA);

    ids.put("queueId", queueA);
    ids.put("counterId", counterA);
    ids.put("ticketId", ticketA.getString("id"));
    ids.put("id", victimKey);
    ids.put("tenantSlug", A_MARKER + "-t");
    ids.put("queueSlug", A_MARKER + "-q");
    ids.put("transferQueueId", otherQueueA);
    ids.put("webhookId", hookA[0]);
    ids.put("deliveryId", hookA[1]);
    addIdentities(server, ticketA, keyA);

    String tenantA = ownerA.call("GET", "/api/v1/counters/" + counterA).json().getString("tenantId");
    secretsOfA.addAll(List.of(A_MARKER, "ZZZ0", tenantA, queueA, otherQueueA, counterA, victimKey, keyA.getString("id"),
        keyA.getString("key"), ticketA.getString("id"), ticketA.getString("token"), called.getString("id"),
        called.getString("token"), hookA[0], hookA[1]));
    secretsOfA.addAll(ownerA.call("GET", "/api/v1/staff").items().stream()
        .map(s -> ((JsonObject) s).getString("id")).toList());
  }

  /**
   * A webhook endpoint of tenant A (on a closed loopback port: the fuzz server allows private
   * networks, and nothing is ever sent off this machine) and a test delivery: their ids.
   */
  private static String[] webhook(Staff owner) {
    Resp hook = owner.call("POST", "/api/v1/webhooks", new JsonObject().put("url", "http://127.0.0.1:9/" + A_MARKER)
        .put("events", new JsonArray().add("*")).put("description", A_MARKER + " hook").encode());
    if (hook.status() != 201) {
      throw new IllegalStateException("webhook: " + hook);
    }
    String id = hook.json().getString("id");
    return new String[] {id, owner.call("POST", "/api/v1/webhooks/" + id + "/test").json().getString("deliveryId")};
  }

  /** Every role of tenant A, its API key, anonymous, and tenant B's owner with a ticket of B's own. */
  private void addIdentities(TestServer server, JsonObject ticketA, JsonObject keyA) {
    identities.add(new Identity("owner", false, "Bearer " + ownerA.token(), ticketA.getString("token"), A_MARKER));
    for (String role : List.of("admin", "agent", "viewer")) {
      identities.add(new Identity(role, false, "Bearer " + staff(server, role), ticketA.getString("token"), A_MARKER));
    }
    identities.add(new Identity("apikey", false, "Bearer " + keyA.getString("key"), ticketA.getString("token"),
        A_MARKER));
    identities.add(new Identity("anonymous", false, null, null, A_MARKER));

    ownerB.queue(B_MARKER + "-q", new JsonObject().put("ticketPrefix", "BBB"));
    JsonObject ticketB = ownerB.join(B_MARKER + "-q");
    identities.add(new Identity("otherTenant", true, "Bearer " + ownerB.token(), ticketB.getString("token"),
        B_MARKER));
  }

  private String staff(TestServer server, String role) {
    String email = role + "-" + A_MARKER + "@example.test";
    Resp made = ownerA.call("POST", "/api/v1/staff", new JsonObject().put("email", email)
        .put("displayName", A_MARKER + " " + role).put("role", role).put("password", "password-of-" + role).encode());
    if (made.status() != 201) {
      throw new IllegalStateException("staff " + role + ": " + made);
    }
    return server.login(ownerA.tenant(), email, "password-of-" + role);
  }

  private static JsonObject apiKey(Staff owner, String name, String role) {
    Resp r = owner.call("POST", "/api/v1/api-keys", new JsonObject().put("name", name).put("role", role).encode());
    if (r.status() != 201) {
      throw new IllegalStateException("api key: " + r);
    }
    return r.json();
  }
}
