package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The smaller points of issue 15's accounts part: the sign-in guard counts the client a trusted
 * proxy names, 404s on another tenant's ids are counted apart, API-key requests are counted by the
 * key's state, and dead sessions and password links are purged.
 */
class AccountMetricsIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("VQ_HTTP_TRUSTED_PROXIES", "127.0.0.1/32"));

  private static double metric(String series) {
    String scrape = server.send("GET", server.management() + "/metrics", null).body();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  private static Resp login(String tenant, String email, String forwardedFor) {
    return server.http("POST", "/api/v1/auth/login", new JsonObject().put("tenant", tenant).put("email", email)
        .put("password", "not the password at all").encode(), "X-Forwarded-For", forwardedFor);
  }

  @Test
  void theSignInGuardCountsTheClientATrustedProxyNames() {
    Staff owner = server.tenant("proxy-" + UUID.randomUUID().toString().substring(0, 6));
    // 20 failures from one client behind the proxy, each for another email (no account reaches its own limit)
    for (int i = 0; i < 20; i++) {
      assertThat(login(owner.tenant(), "guess" + i + "@x.test", "203.0.113.5").status()).isEqualTo(401);
    }
    Resp throttled = login(owner.tenant(), "guess-next@x.test", "203.0.113.5");
    assertThat(throttled.status()).as("%s", throttled).isEqualTo(429);
    assertThat(throttled.json().getString("code")).isEqualTo("auth.throttled");
    assertThat(login(owner.tenant(), "guess-next@x.test", "203.0.113.6").status())
        .as("another client behind the same proxy is not held back").isEqualTo(401);
    assertThat(server.login(owner.tenant(), "owner@" + owner.tenant() + ".test", "correct-horse-" + owner.tenant()))
        .isNotBlank();
  }

  @Test
  void aNotFoundForAnotherTenantsIdIsCountedApartFromPlainOnes() {
    Staff owner = server.tenant("mine-" + UUID.randomUUID().toString().substring(0, 6));
    Staff other = server.tenant("theirs-" + UUID.randomUUID().toString().substring(0, 6));
    String counter = owner.openCounter(owner.queue("q1").getString("id"), "Desk");
    double before = metric("vq_cross_tenant_denials_total");
    assertThat(other.call("GET", "/api/v1/counters/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(other.call("GET", "/api/v1/queues/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(other.call("GET", "/api/v1/counters/" + counter).status()).isEqualTo(404);
    Poll.until(() -> metric("vq_cross_tenant_denials_total"), v -> v >= before + 1, 5_000, "the denial counted");
    sleep(300); // the two plain 404s were answered first: had they counted, they would show by now
    assertThat(metric("vq_cross_tenant_denials_total")).isEqualTo(before + 1);
  }

  @Test
  void apiKeyRequestsAreCountedByTheKeysState() {
    Staff owner = server.tenant("keys-" + UUID.randomUUID().toString().substring(0, 6));
    String live = AuthFixtures.apiKey(owner, "agent");
    Resp made = owner.call("POST", "/api/v1/api-keys", new JsonObject().put("name", "old").put("role", "agent")
        .encode());
    String revoked = made.json().getString("key");
    assertThat(owner.call("DELETE", "/api/v1/api-keys/" + made.json().getString("id")).status()).isEqualTo(204);
    double active = metric("vq_api_key_requests_total{state=\"active\"}");
    double gone = metric("vq_api_key_requests_total{state=\"revoked\"}");
    double unknown = metric("vq_api_key_requests_total{state=\"unknown\"}");
    assertThat(get(live).status()).isEqualTo(200);
    assertThat(get(live).status()).isEqualTo(200);
    assertThat(get(revoked).status()).isEqualTo(401);
    assertThat(get(live.substring(0, live.length() - 4) + "aaaa").status()).isEqualTo(401);
    assertThat(get("vq_nonsense").status()).isEqualTo(401);
    assertThat(metric("vq_api_key_requests_total{state=\"active\"}")).isEqualTo(active + 2);
    assertThat(metric("vq_api_key_requests_total{state=\"revoked\"}")).isEqualTo(gone + 1);
    assertThat(metric("vq_api_key_requests_total{state=\"unknown\"}")).isEqualTo(unknown + 2);
  }

  @Test
  void expiredAndRevokedSessionsAndSpentLinksArePurged() throws Exception {
    Staff owner = server.tenant("purge-" + UUID.randomUUID().toString().substring(0, 6));
    String tenant = server.scalar("SELECT id FROM tenants WHERE slug = '" + owner.tenant() + "'");
    String staff = server.scalar("SELECT id FROM staff_users WHERE tenant_id = '" + tenant + "'");
    String insert = "INSERT INTO auth_sessions (id, family_id, tenant_id, staff_id, token_hash, expires_at, revoked_at)"
        + " VALUES (gen_random_uuid(), gen_random_uuid(), '" + tenant + "', '" + staff + "', sha256(random()::text::bytea), ";
    server.sql(insert + "now() - interval '1 minute', NULL)");
    server.sql(insert + "now() + interval '1 day', now() - interval '2 days')");
    server.sql(insert + "now() + interval '1 day', now() - interval '1 hour')");
    server.sql("INSERT INTO staff_password_links (token_hash, tenant_id, staff_id, purpose, expires_at, used_at)"
        + " VALUES (sha256(random()::text::bytea), '" + tenant + "', '" + staff + "', 'reset', now() + interval '1 hour',"
        + " now() - interval '2 days'), (sha256(random()::text::bytea), '" + tenant + "', '" + staff + "', 'reset',"
        + " now() + interval '1 hour', NULL)");
    String where = " WHERE tenant_id = '" + tenant + "'";
    long sessions = server.count("SELECT count(*) FROM auth_sessions" + where);
    assertThat(sessions).as("the owner's sign-in and the three rows").isEqualTo(4);

    server.app().modules().auth().purgeSessions().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(server.count("SELECT count(*) FROM auth_sessions" + where))
        .as("the live sign-in and the session revoked an hour ago are kept").isEqualTo(2);
    assertThat(server.count("SELECT count(*) FROM staff_password_links" + where + " AND used_at IS NULL"))
        .isEqualTo(1);
    assertThat(server.count("SELECT count(*) FROM staff_password_links" + where)).isEqualTo(1);
  }

  private static Resp get(String key) {
    return server.http("GET", "/api/v1/queues", null, "Authorization", "Bearer " + key);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
