package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Roles, staff accounts, API keys and tenant walls against the real server, Postgres and Redis. */
class StaffAndApiKeyIT {
  static final Path keysDir = AuthFixtures.keysDir();
  @RegisterExtension
  static final TestServer server = AuthFixtures.prodServer(keysDir);

  @AfterAll
  static void deleteKeys() throws Exception {
    AuthFixtures.delete(keysDir);
  }

  private static Resp get(String path, String bearer) {
    return server.http("GET", path, null, "Authorization", "Bearer " + bearer);
  }

  @Test
  void rolesGateQueueCreationAndStaffAdministration() {
    Staff owner = server.tenant(AuthFixtures.tenantSlug());
    Staff admin = AuthFixtures.signIn(owner, "admin");
    Staff viewer = AuthFixtures.signIn(owner, "viewer");
    String queue = new JsonObject().put("slug", "q-" + UUID.randomUUID().toString().substring(0, 6))
        .put("name", "Q").put("capacity", 100).encode();

    Resp refused = viewer.call("POST", "/api/v1/queues", queue);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getString("code")).isEqualTo("auth.forbidden");
    assertThat(viewer.call("GET", "/api/v1/queues").status()).isEqualTo(200);
    assertThat(viewer.call("GET", "/api/v1/staff").status()).isEqualTo(403);
    assertThat(admin.call("POST", "/api/v1/queues", queue).status()).isEqualTo(201);

    String adminAccount = AuthFixtures.staffBody("second-admin@x.test", "admin");
    assertThat(admin.call("POST", "/api/v1/staff", adminAccount).json().getString("code")).isEqualTo("auth.forbidden");
    assertThat(admin.call("POST", "/api/v1/staff", AuthFixtures.staffBody("agent@x.test", "agent")).status())
        .isEqualTo(201);
    assertThat(owner.call("POST", "/api/v1/staff", adminAccount).status()).isEqualTo(201);
  }

  @Test
  void staffAccountsAreValidatedUniquePerTenantAndListedWithoutHashes() {
    Staff owner = server.tenant(AuthFixtures.tenantSlug());
    Staff other = server.tenant(AuthFixtures.tenantSlug());
    assertThat(owner.call("POST", "/api/v1/staff", AuthFixtures.staffBody("Dup@x.test", "agent")).status())
        .isEqualTo(201);

    Resp dup = owner.call("POST", "/api/v1/staff", AuthFixtures.staffBody("dup@x.test", "viewer"));
    assertThat(dup.status()).isEqualTo(409);
    assertThat(dup.json().getString("code")).isEqualTo("staff.email_taken");
    assertThat(other.call("POST", "/api/v1/staff", AuthFixtures.staffBody("dup@x.test", "viewer")).status())
        .isEqualTo(201);
    Resp weak = owner.call("POST", "/api/v1/staff", new JsonObject().put("email", "w@x.test")
        .put("displayName", "W").put("role", "agent").put("password", "short").encode());
    assertThat(weak.json().getString("code")).isEqualTo("auth.weak_password");
    assertThat(owner.call("POST", "/api/v1/staff", AuthFixtures.staffBody("r@x.test", "boss")).status()).isEqualTo(400);

    Resp list = owner.call("GET", "/api/v1/staff");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).doesNotContain("$2a$").doesNotContain("password");
    assertThat(list.items().stream().map(o -> ((JsonObject) o).getString("email")))
        .containsExactly("dup@x.test", "owner@" + owner.tenant() + ".test");
    Resp firstPage = owner.call("GET", "/api/v1/staff?limit=1");
    assertThat(firstPage.items()).hasSize(1);
    assertThat(owner.call("GET", "/api/v1/staff?limit=1&cursor=" + firstPage.json().getString("nextCursor"))
        .items()).hasSize(1);
  }

  @Test
  void apiKeysWorkUntilRevokedAndAreShownOnlyOnce() throws Exception {
    Staff owner = server.tenant(AuthFixtures.tenantSlug());
    Staff admin = AuthFixtures.signIn(owner, "admin");
    String key = AuthFixtures.apiKey(admin, "viewer");

    assertThat(key).matches("vq_[a-z2-7]{10}_[a-z2-7]{40}");
    assertThat(get("/api/v1/queues", key).status()).isEqualTo(200);
    assertThat(get("/api/v1/queues", key).status()).isEqualTo(200); // now from the cache
    Resp viewerWrite = server.http("POST", "/api/v1/queues", "{\"slug\":\"x1\",\"name\":\"x\",\"capacity\":9}",
        "Authorization", "Bearer " + key);
    assertThat(viewerWrite.json().getString("code")).isEqualTo("auth.forbidden");
    // another last character (a fixed "a" equals the real one for 1 key in 32)
    char last = key.charAt(key.length() - 1);
    assertThat(get("/api/v1/queues", key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a')).status())
        .isEqualTo(401);

    JsonObject listed = listedWhenUsed(admin); // last use is recorded in the background
    assertThat(listed.getString("prefix")).isEqualTo(key.substring(3, 13));
    assertThat(listed.containsKey("key")).isFalse();
    assertThat(listed.containsKey("keyHash")).isFalse();
    assertThat(server.count("SELECT count(*) FROM api_keys WHERE last_used_at IS NOT NULL AND prefix = '"
        + listed.getString("prefix") + "'")).isEqualTo(1);
    assertThat(server.count("SELECT count(*) FROM api_keys WHERE key_hash = sha256('" + key + "'::bytea)"))
        .isEqualTo(1);

    assertThat(admin.call("DELETE", "/api/v1/api-keys/" + listed.getString("id")).status()).isEqualTo(204);
    Resp revoked = get("/api/v1/queues", key);
    assertThat(revoked.status()).isEqualTo(401);
    assertThat(revoked.json().getString("code")).isEqualTo("auth.invalid_api_key");
    assertThat(admin.call("GET", "/api/v1/api-keys").items().getJsonObject(0).getString("revokedAt")).isNotNull();
  }

  private static JsonObject listedWhenUsed(Staff admin) throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      JsonObject listed = admin.call("GET", "/api/v1/api-keys").items().getJsonObject(0);
      if (listed.containsKey("lastUsedAt")) {
        return listed;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("lastUsedAt was never recorded");
  }

  @Test
  void onlyOwnersCreateAdminKeysAndAnAdminKeyActsAsAdmin() {
    Staff owner = server.tenant(AuthFixtures.tenantSlug());
    Staff admin = AuthFixtures.signIn(owner, "admin");
    Resp refused = admin.call("POST", "/api/v1/api-keys",
        new JsonObject().put("name", "k").put("role", "admin").encode());
    assertThat(refused.status()).isEqualTo(403);
    assertThat(owner.call("POST", "/api/v1/api-keys", new JsonObject().put("name", "k").put("role", "owner").encode())
        .status()).isEqualTo(400);

    String adminKey = AuthFixtures.apiKey(owner, "admin");
    Resp queue = server.http("POST", "/api/v1/queues", "{\"slug\":\"by-key\",\"name\":\"By key\",\"capacity\":9}",
        "Authorization", "Bearer " + adminKey);
    assertThat(queue.status()).isEqualTo(201);
    Resp agent = server.http("POST", "/api/v1/staff", AuthFixtures.staffBody("made-by-key@x.test", "agent"),
        "Authorization", "Bearer " + adminKey);
    assertThat(agent.status()).isEqualTo(201);
  }

  @Test
  void tenantsAreWalledOff() {
    Staff first = server.tenant(AuthFixtures.tenantSlug());
    Staff second = server.tenant(AuthFixtures.tenantSlug());
    String key = AuthFixtures.apiKey(first, "agent");
    String keyId = first.call("GET", "/api/v1/api-keys").items().getJsonObject(0).getString("id");

    Resp foreign = second.call("DELETE", "/api/v1/api-keys/" + keyId);
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.json().getString("code")).isEqualTo("api_key.not_found");
    assertThat(second.call("DELETE", "/api/v1/api-keys/not-a-uuid").status()).isEqualTo(404);
    assertThat(get("/api/v1/queues", key).status()).isEqualTo(200);
    assertThat(second.call("GET", "/api/v1/api-keys").items()).isEmpty();
    assertThat(second.call("GET", "/api/v1/staff").items()).hasSize(1);
    String firstQueue = first.queue("walled", new JsonObject().put("capacity", 9)).getString("id");
    String secondKey = AuthFixtures.apiKey(second, "viewer");
    assertThat(get("/api/v1/queues/" + firstQueue, secondKey).status()).isEqualTo(404);
  }
}
