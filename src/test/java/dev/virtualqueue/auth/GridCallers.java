package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The callers of the authorization grid, all of one tenant but {@link GridCaller#OTHER_OWNER}, and
 * the resources their calls name: one shared set for the refusals, a fresh set for each allowed call
 * (an allowed call may close, delete or revoke what it names).
 */
final class GridCallers {
  /**
   * What a refused call must leave as it was: the rows of these tables, less the columns background
   * work writes (a key's last use, a ticket's ETA, an endpoint's failing deliveries).
   */
  private static final String FINGERPRINT = "SELECT md5(concat_ws('|',"
      + " (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM tenants t),"
      + " (SELECT string_agg(s::text, ',' ORDER BY s.id) FROM staff_users s),"
      + " (SELECT string_agg(concat_ws(';', k.id, k.role, k.revoked_at), ',' ORDER BY k.id) FROM api_keys k),"
      + " (SELECT string_agg(q::text, ',' ORDER BY q.id) FROM queues q),"
      + " (SELECT string_agg(c::text, ',' ORDER BY c.id) FROM counters c),"
      + " (SELECT string_agg(concat_ws(';', x.id, x.status, x.counter_id, x.queue_id), ',' ORDER BY x.id)"
      + " FROM tickets x),"
      + " (SELECT string_agg(concat_ws(';', w.id, w.url, w.description, w.events, w.enabled, w.secret_sealed,"
      + " w.previous_sealed, w.version), ',' ORDER BY w.id) FROM webhook_endpoints w)))";

  private final TestServer server;
  private final Staff owner;
  private final Map<GridCaller, String> bearer = new EnumMap<>(GridCaller.class);
  private final Fixture shared;

  private GridCallers(TestServer server, Staff owner) {
    this.server = server;
    this.owner = owner;
    this.shared = new Fixture();
  }

  static GridCallers create(TestServer server) {
    String slug = "grid-" + UUID.randomUUID().toString().substring(0, 6);
    GridCallers c = new GridCallers(server, server.tenant(slug));
    c.bearer.put(GridCaller.OWNER, c.owner.token());
    c.bearer.put(GridCaller.ADMIN, AuthFixtures.signIn(c.owner, "admin").token());
    c.bearer.put(GridCaller.AGENT, AuthFixtures.signIn(c.owner, "agent").token());
    c.bearer.put(GridCaller.VIEWER, AuthFixtures.signIn(c.owner, "viewer").token());
    c.bearer.put(GridCaller.OTHER_OWNER, server.tenant(slug + "-other").token());
    c.bearer.put(GridCaller.REVOKED_KEY, c.revokedKey());
    c.bearer.put(GridCaller.EXPIRED, c.expiredToken());
    c.bearer.put(GridCaller.DISABLED, c.staleAdmin(new JsonObject().put("disabled", true)));
    c.bearer.put(GridCaller.DEMOTED, c.staleAdmin(new JsonObject().put("role", "viewer")));
    return c;
  }

  Fixture shared() {
    return shared;
  }

  Fixture freshFixture() {
    return new Fixture();
  }

  String fingerprint() {
    return server.scalar(FINGERPRINT);
  }

  /**
   * Calls {@code row} as {@code who} on the resources of {@code f}. The path (and the resources it
   * names) is made before {@code beforeCall} runs, so a fingerprint taken there sees them.
   */
  Resp send(GridRow row, GridCaller who, Fixture f, Runnable beforeCall) {
    String path = f.fill(row.path());
    List<String> headers = new ArrayList<>();
    if (bearer.containsKey(who)) {
      headers.add("Authorization");
      headers.add("Bearer " + bearer.get(who));
    } else if (who == GridCaller.HOLDER) {
      headers.add("X-Ticket-Token");
      headers.add(f.ticket().getString("token"));
    } else if (who == GridCaller.KIOSK) {
      headers.add("X-Display-Key");
      headers.add(f.displayKey());
    }
    String body = row.method().equals("GET") || row.method().equals("DELETE") ? null : f.body(row.operation());
    beforeCall.run();
    return server.http(row.method(), path, body, headers.toArray(String[]::new));
  }

  private String revokedKey() {
    Resp r = owner.call("POST", "/api/v1/api-keys", new JsonObject().put("name", "revoked").put("role", "admin")
        .encode());
    assertThat(r.status()).as("create key: %s", r).isEqualTo(201);
    assertThat(owner.call("DELETE", "/api/v1/api-keys/" + r.json().getString("id")).status()).isEqualTo(204);
    return r.json().getString("key");
  }

  /** The token of a new admin, signed in before the owner made {@code change} to the account. */
  private String staleAdmin(JsonObject change) {
    String email = "stale-" + UUID.randomUUID().toString().substring(0, 6) + "@" + owner.tenant() + ".test";
    String id = field(owner.call("POST", "/api/v1/staff", new JsonObject().put("email", email)
        .put("displayName", "Stale").put("role", "admin").put("password", "a stale admin password").encode()), "id");
    String token = server.login(owner.tenant(), email, "a stale admin password");
    Resp live = server.http("GET", "/api/v1/staff", null, "Authorization", "Bearer " + token);
    assertThat(live.status()).as("the admin's token before the change: %s", live).isEqualTo(200);
    Resp changed = owner.call("PATCH", "/api/v1/staff/" + id, change.encode());
    assertThat(changed.status()).as("change %s: %s", change, changed).isEqualTo(200);
    return token;
  }

  private String expiredToken() {
    UUID tenant = UUID.fromString(server.scalar("SELECT id FROM tenants WHERE slug = '" + owner.tenant() + "'"));
    UUID staff = UUID.fromString(server.scalar("SELECT id FROM staff_users WHERE tenant_id = '" + tenant
        + "' AND role = 'owner'"));
    return server.app().modules().auth().tokens().issue(tenant, staff, Role.OWNER, -600).token();
  }

  private static String field(Resp r, String name) {
    assertThat(r.status()).as("fixture: %s", r).isBetween(200, 299);
    return r.json().getString(name);
  }

  /** The resources one set of calls names, each made when first needed. */
  final class Fixture {
    private final Map<String, Object> made = new HashMap<>();
    private final String queueSlug = "q-" + UUID.randomUUID().toString().substring(0, 8);

    @SuppressWarnings("unchecked")
    private <T> T once(String what, Supplier<T> make) {
      Object value = made.get(what); // not computeIfAbsent: making one thing makes the things it needs
      if (value == null) {
        value = make.get();
        made.put(what, value);
      }
      return (T) value;
    }

    JsonObject queue() {
      return once("queue", () -> owner.queue(queueSlug));
    }

    String counter() {
      return once("counter", () -> owner.openCounter(queue().getString("id"), "Desk"));
    }

    JsonObject ticket() {
      return once("ticket", () -> owner.join(queue().getString("slug")));
    }

    String displayKey() {
      return once("displayKey", () -> field(owner.call("POST", "/api/v1/queues/" + queue().getString("id")
          + "/display-key"), "key"));
    }

    String webhook() {
      return once("webhook", () -> field(owner.call("POST", "/api/v1/webhooks", new JsonObject()
          .put("url", "http://127.0.0.1:9/grid").put("events", new JsonArray().add("ticket.called")).encode()),
          "id"));
    }

    String delivery() {
      return once("delivery", () -> field(owner.call("POST", "/api/v1/webhooks/" + webhook() + "/test"),
          "deliveryId"));
    }

    String apiKey() {
      return once("apiKey", () -> field(owner.call("POST", "/api/v1/api-keys", new JsonObject().put("name", "grid")
          .put("role", "viewer").encode()), "id"));
    }

    String staffUser() {
      return once("staff", () -> field(owner.call("POST", "/api/v1/staff", new JsonObject()
          .put("email", "grid-" + UUID.randomUUID().toString().substring(0, 6) + "@" + owner.tenant() + ".test")
          .put("displayName", "Grid").put("role", "viewer").put("password", "a grid password of some length")
          .encode()), "id"));
    }

    /**
     * A body that passes validation where the operation checks its body before the resource (so
     * another tenant's owner meets the tenant wall, not a missing field); {@code {}} elsewhere.
     */
    String body(String operation) {
      return switch (operation) {
        case "POST /api/v1/queues/{queueId}/counters" -> new JsonObject().put("name", "Grid desk").encode();
        case "PATCH /api/v1/staff/{id}" -> new JsonObject().put("name", "Grid renamed").encode();
        case "POST /api/v1/tickets/{ticketId}/transfer" -> new JsonObject().put("queueId", queue().getString("id"))
            .encode();
        // the credential of a refresh is its body: a live refresh token, whoever sends it
        case "POST /api/v1/auth/refresh" -> new JsonObject().put("refreshToken", field(server.http("POST",
            "/api/v1/auth/login", new JsonObject().put("tenant", owner.tenant()).put("email", "owner@" + owner.tenant()
                + ".test").put("password", "correct-horse-" + owner.tenant()).encode()), "refreshToken")).encode();
        default -> "{}";
      };
    }

    /** The path with its parameters replaced by this fixture's ids. */
    String fill(String template) {
      String p = template.replace("{tenantSlug}", owner.tenant());
      p = p.contains("{queueSlug}") ? p.replace("{queueSlug}", queue().getString("slug")) : p;
      p = p.contains("{queueId}") ? p.replace("{queueId}", queue().getString("id")) : p;
      p = p.contains("{counterId}") ? p.replace("{counterId}", counter()) : p;
      p = p.contains("{ticketId}") ? p.replace("{ticketId}", ticket().getString("id")) : p;
      p = p.contains("{webhookId}") ? p.replace("{webhookId}", webhook()) : p;
      p = p.contains("{deliveryId}") ? p.replace("{deliveryId}", delivery()) : p;
      if (p.contains("{id}")) {
        p = p.replace("{id}", p.startsWith("/api/v1/staff") ? staffUser() : apiKey());
      }
      return p;
    }
  }
}
