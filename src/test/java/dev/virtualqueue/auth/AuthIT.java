package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualqueue.App;
import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.config.ConfigLoader;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sign-in, tokens, roles, staff accounts and API keys against the real server, Postgres and Redis. */
class AuthIT {
  static Path keysDir;
  static TestServer server;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    keysDir = Files.createTempDirectory("vq-auth-it-keys");
    Files.writeString(keysDir.resolve("2025-01.pem"), PemKeys.write(PemKeys.generate()));
    // the production profile: real key material, no demo data
    server = TestServer.start(TestServer.REDIS_URL, Map.of("VQ_PROFILE", "prod", "VQ_JWT_KEYS_DIR", keysDir.toString()));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await();
    server.close();
    try (var files = Files.list(keysDir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(keysDir);
  }

  private static String tenantSlug() {
    return "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static TenantService.Bootstrapped bootstrap(String slug, String email, String password) {
    return server.app().services().auth().tenants()
        .bootstrap(slug, "Tenant " + slug, email, "Owner", password.toCharArray()).await();
  }

  private static Resp login(String tenant, String email, String password) {
    return server.http("POST", "/api/v1/auth/login", new JsonObject().put("tenant", tenant).put("email", email)
        .put("password", password).encode());
  }

  private static Resp get(String path, String bearer) {
    return server.http("GET", path, null, "Authorization", "Bearer " + bearer);
  }

  private static Staff signIn(Staff owner, String role) {
    String email = role + "-" + UUID.randomUUID().toString().substring(0, 6) + "@" + owner.tenant() + ".test";
    Resp created = owner.call("POST", "/api/v1/staff", new JsonObject().put("email", email)
        .put("displayName", "A " + role).put("role", role).put("password", "password-of-" + role).encode());
    assertThat(created.status()).as("create %s: %s", role, created).isEqualTo(201);
    return new Staff(server, owner.tenant(), server.login(owner.tenant(), email, "password-of-" + role));
  }

  private static String apiKey(Staff by, String role) {
    Resp r = by.call("POST", "/api/v1/api-keys", new JsonObject().put("name", "integration").put("role", role).encode());
    assertThat(r.status()).as("create key: %s", r).isEqualTo(201);
    return r.json().getString("key");
  }

  @Test
  void bootstrapIsIdempotentAndNeverChangesThePassword() {
    String slug = tenantSlug();
    String email = "boss@" + slug + ".test";
    TenantService.Bootstrapped first = bootstrap(slug, email, "first-password");
    TenantService.Bootstrapped second = bootstrap(slug, email, "second-password");

    assertThat(first.created()).isTrue();
    assertThat(second).isEqualTo(new TenantService.Bootstrapped(first.tenantId(), first.ownerId(), false));
    assertThat(login(slug, email, "first-password").status()).isEqualTo(200);
    assertThat(login(slug, email, "second-password").status()).isEqualTo(401);
    assertThatThrownBy(() -> bootstrap(slug, "other@" + slug + ".test", "third-password"))
        .isInstanceOf(ApiException.Conflict.class).hasMessageContaining("already exists");
    assertThatThrownBy(() -> bootstrap("Bad Slug", email, "first-password"))
        .isInstanceOf(ApiException.BadRequest.class);
    assertThatThrownBy(() -> bootstrap(tenantSlug(), email, "short"))
        .isInstanceOf(ApiException.BadRequest.class).hasMessageContaining("10");
  }

  @Test
  void loginReturnsABearerTokenSignedWithTheNewestKeyOfTheFolder() {
    String slug = tenantSlug();
    TenantService.Bootstrapped b = bootstrap(slug, "boss@" + slug + ".test", "good-password");

    Resp r = login(slug, "BOSS@" + slug + ".test", "good-password"); // emails match case-insensitively

    assertThat(r.status()).isEqualTo(200);
    JsonObject body = r.json();
    assertThat(body.getString("tokenType")).isEqualTo("Bearer");
    assertThat(body.getInteger("expiresIn")).isEqualTo(server.app().services().config().jwt().ttlSeconds());
    assertThat(body.getString("role")).isEqualTo("owner");
    String token = body.getString("accessToken");
    JsonObject header = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[0])));
    assertThat(header.getString("kid")).isEqualTo("2025-01");
    assertThat(header.getString("alg")).isEqualTo("ES256");
    assertThat(get("/api/v1/queues", token).status()).isEqualTo(200);
    assertThat(b.created()).isTrue();
  }

  @Test
  void everyBadCredentialGetsTheSameAnswer() {
    String slug = tenantSlug();
    String email = "boss@" + slug + ".test";
    bootstrap(slug, email, "good-password");
    Staff owner = new Staff(server, slug, server.login(slug, email, "good-password"));
    Staff agent = signIn(owner, "agent");
    String agentEmail = owner.call("GET", "/api/v1/staff").items().stream().map(o -> (JsonObject) o)
        .filter(s -> s.getString("role").equals("agent")).findFirst().orElseThrow().getString("email");
    server.sql("UPDATE staff_users SET disabled = true WHERE email = '" + agentEmail + "'");

    List<Resp> answers = List.of(
        login(slug, email, "wrong-password"),
        login(slug, "nobody@" + slug + ".test", "good-password"),
        login("no-such-tenant", email, "good-password"),
        login(slug, agentEmail, "password-of-agent"));

    for (Resp r : answers) {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.json().getString("code")).isEqualTo("auth.invalid_credentials");
      assertThat(r.body()).isEqualTo(answers.get(0).body());
    }
    assertThat(agent.token()).isNotBlank(); // it worked before the account was disabled
    assertThat(login(slug, email, null).status()).isEqualTo(400);
  }

  @Test
  void missingGarbageForgedAndExpiredTokensAre401() {
    Staff owner = server.tenant(tenantSlug());
    JwtKeys sameKeys = JwtKeys.load(keysDir);
    TokenService sameSigner = new TokenService(vertx, sameKeys, server.app().services().config().jwt());
    TenantService.Bootstrapped who = new TenantService.Bootstrapped(UUID.randomUUID(), UUID.randomUUID(), false);
    String expired = sameSigner.issue(who.tenantId(), who.ownerId(), Role.OWNER, -120).token();
    String strangerSigned = new TokenService(vertx, JwtKeys.generate(), server.app().services().config().jwt())
        .issue(who.tenantId(), who.ownerId(), Role.OWNER).token();

    assertThat(server.http("GET", "/api/v1/queues", null).json().getString("code")).isEqualTo("auth.missing_token");
    Resp missing = server.http("GET", "/api/v1/queues", null, "Authorization", "Basic b3duZXI6cHc=");
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.json().getString("code")).isEqualTo("auth.missing_token");
    assertThat(missing.header("WWW-Authenticate")).isEqualTo("Bearer");
    for (String bad : List.of("garbage", expired, strangerSigned, owner.token() + "x")) {
      Resp r = get("/api/v1/queues", bad);
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.json().getString("code")).isEqualTo("auth.invalid_token");
      assertThat(r.contentType()).startsWith("application/problem+json");
    }
    assertThat(get("/api/v1/queues", "vq_garbage").json().getString("code")).isEqualTo("auth.invalid_api_key");
    // the same signer with a live expiry is accepted: the 401s above are about expiry and key, not the test setup
    assertThat(get("/api/v1/queues", sameSigner.issue(who.tenantId(), who.ownerId(), Role.OWNER).token()).status())
        .isEqualTo(200);
  }

  @Test
  void rolesGateQueueCreationAndStaffAdministration() {
    Staff owner = server.tenant(tenantSlug());
    Staff admin = signIn(owner, "admin");
    Staff viewer = signIn(owner, "viewer");
    String queue = new JsonObject().put("slug", "q-" + UUID.randomUUID().toString().substring(0, 6))
        .put("name", "Q").put("capacity", 100).encode();

    Resp refused = viewer.call("POST", "/api/v1/queues", queue);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getString("code")).isEqualTo("auth.forbidden");
    assertThat(viewer.call("GET", "/api/v1/queues").status()).isEqualTo(200);
    assertThat(viewer.call("GET", "/api/v1/staff").status()).isEqualTo(403);
    assertThat(admin.call("POST", "/api/v1/queues", queue).status()).isEqualTo(201);

    String adminAccount = staffBody("second-admin@x.test", "admin");
    assertThat(admin.call("POST", "/api/v1/staff", adminAccount).json().getString("code")).isEqualTo("auth.forbidden");
    assertThat(admin.call("POST", "/api/v1/staff", staffBody("agent@x.test", "agent")).status()).isEqualTo(201);
    assertThat(owner.call("POST", "/api/v1/staff", adminAccount).status()).isEqualTo(201);
  }

  private static String staffBody(String email, String role) {
    return new JsonObject().put("email", email).put("displayName", "Someone").put("role", role)
        .put("password", "long enough password").encode();
  }

  @Test
  void staffAccountsAreValidatedUniquePerTenantAndListedWithoutHashes() {
    Staff owner = server.tenant(tenantSlug());
    Staff other = server.tenant(tenantSlug());
    assertThat(owner.call("POST", "/api/v1/staff", staffBody("Dup@x.test", "agent")).status()).isEqualTo(201);

    Resp dup = owner.call("POST", "/api/v1/staff", staffBody("dup@x.test", "viewer"));
    assertThat(dup.status()).isEqualTo(409);
    assertThat(dup.json().getString("code")).isEqualTo("staff.email_taken");
    assertThat(other.call("POST", "/api/v1/staff", staffBody("dup@x.test", "viewer")).status()).isEqualTo(201);
    Resp weak = owner.call("POST", "/api/v1/staff", new JsonObject().put("email", "w@x.test")
        .put("displayName", "W").put("role", "agent").put("password", "short").encode());
    assertThat(weak.json().getString("code")).isEqualTo("auth.weak_password");
    assertThat(owner.call("POST", "/api/v1/staff", staffBody("r@x.test", "boss")).status()).isEqualTo(400);

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
    Staff owner = server.tenant(tenantSlug());
    Staff admin = signIn(owner, "admin");
    String key = apiKey(admin, "viewer");

    assertThat(key).matches("vq_[a-z2-7]{10}_[a-z2-7]{40}");
    assertThat(get("/api/v1/queues", key).status()).isEqualTo(200);
    assertThat(get("/api/v1/queues", key).status()).isEqualTo(200); // now from the cache
    Resp viewerWrite = server.http("POST", "/api/v1/queues", "{\"slug\":\"x1\",\"name\":\"x\",\"capacity\":9}",
        "Authorization", "Bearer " + key);
    assertThat(viewerWrite.json().getString("code")).isEqualTo("auth.forbidden");
    assertThat(get("/api/v1/queues", key.substring(0, key.length() - 1) + "a").status()).isEqualTo(401);

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
    Staff owner = server.tenant(tenantSlug());
    Staff admin = signIn(owner, "admin");
    Resp refused = admin.call("POST", "/api/v1/api-keys", new JsonObject().put("name", "k").put("role", "admin").encode());
    assertThat(refused.status()).isEqualTo(403);
    assertThat(owner.call("POST", "/api/v1/api-keys", new JsonObject().put("name", "k").put("role", "owner").encode())
        .status()).isEqualTo(400);

    String adminKey = apiKey(owner, "admin");
    Resp queue = server.http("POST", "/api/v1/queues", "{\"slug\":\"by-key\",\"name\":\"By key\",\"capacity\":9}",
        "Authorization", "Bearer " + adminKey);
    assertThat(queue.status()).isEqualTo(201);
    Resp agent = server.http("POST", "/api/v1/staff", staffBody("made-by-key@x.test", "agent"),
        "Authorization", "Bearer " + adminKey);
    assertThat(agent.status()).isEqualTo(201);
  }

  @Test
  void tenantsAreWalledOff() {
    Staff first = server.tenant(tenantSlug());
    Staff second = server.tenant(tenantSlug());
    String key = apiKey(first, "agent");
    String keyId = first.call("GET", "/api/v1/api-keys").items().getJsonObject(0).getString("id");

    Resp foreign = second.call("DELETE", "/api/v1/api-keys/" + keyId);
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.json().getString("code")).isEqualTo("api_key.not_found");
    assertThat(second.call("DELETE", "/api/v1/api-keys/not-a-uuid").status()).isEqualTo(404);
    assertThat(get("/api/v1/queues", key).status()).isEqualTo(200);
    assertThat(second.call("GET", "/api/v1/api-keys").items()).isEmpty();
    assertThat(second.call("GET", "/api/v1/staff").items()).hasSize(1);
    String firstQueue = first.queue("walled", new JsonObject().put("capacity", 9)).getString("id");
    assertThat(server.http("GET", "/api/v1/queues/" + firstQueue, null, "Authorization", "Bearer " + apiKey(second,
        "viewer")).status()).isEqualTo(404);
  }

  @Test
  void outsideDevTheServerRefusesToStartWithoutAKey() throws Exception {
    Path empty = Files.createTempDirectory("vq-no-keys");
    try {
      Map<String, String> env = new HashMap<>(System.getenv());
      env.putAll(Map.of("VQ_CONFIG", "conf/virtual-queue.json", "VQ_PROFILE", "prod", "VQ_HTTP_PORT", "0",
          "VQ_MANAGEMENT_PORT", "0", "VQ_PG_URL", server.pgUrl(), "VQ_REDIS_URL", TestServer.REDIS_URL,
          "VQ_REDIS_KEY_PREFIX", server.prefix(), "VQ_JWT_KEYS_DIR", empty.toString()));
      var start = App.start(ConfigLoader.load(env)).toCompletionStage().toCompletableFuture();
      assertThatThrownBy(() -> start.get(60, TimeUnit.SECONDS))
          .hasCauseInstanceOf(JwtKeys.KeyException.class)
          .hasMessageContaining("VQ_JWT_KEYS_DIR=" + empty + " holds no JWT key");
    } finally {
      Files.delete(empty);
    }
  }
}
