package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.config.ConfigLoader;
import dev.virtualqueue.server.App;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bootstrap, sign-in and access tokens against the real server (production profile), Postgres and Redis. */
class AuthIT {
  static final Path keysDir = AuthFixtures.keysDir();
  @RegisterExtension
  static final TestServer server = AuthFixtures.prodServer(keysDir);
  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await();
    AuthFixtures.delete(keysDir);
  }

  private static TenantService.Bootstrapped bootstrap(String slug, String email, String password) {
    return server.app().modules().auth().tenants()
        .bootstrap(slug, "Tenant " + slug, email, "Owner", password.toCharArray()).await();
  }

  private static Resp login(String tenant, String email, String password) {
    return server.http("POST", "/api/v1/auth/login", new JsonObject().put("tenant", tenant).put("email", email)
        .put("password", password).encode());
  }

  private static Resp get(String path, String bearer) {
    return server.http("GET", path, null, "Authorization", "Bearer " + bearer);
  }

  @Test
  void bootstrapIsIdempotentAndNeverChangesThePassword() {
    String slug = AuthFixtures.tenantSlug();
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
    assertThatThrownBy(() -> bootstrap(AuthFixtures.tenantSlug(), email, "short"))
        .isInstanceOf(ApiException.BadRequest.class).hasMessageContaining("12");
  }

  @Test
  void loginReturnsABearerTokenSignedWithTheNewestKeyOfTheFolder() {
    String slug = AuthFixtures.tenantSlug();
    TenantService.Bootstrapped b = bootstrap(slug, "boss@" + slug + ".test", "good-password");

    Resp r = login(slug, "BOSS@" + slug + ".test", "good-password"); // emails match case-insensitively

    assertThat(r.status()).isEqualTo(200);
    JsonObject body = r.json();
    assertThat(body.getString("tokenType")).isEqualTo("Bearer");
    assertThat(body.getInteger("expiresIn")).isEqualTo(server.app().modules().config().jwt().ttlSeconds());
    assertThat(body.getString("role")).isEqualTo("owner");
    String token = body.getString("accessToken");
    JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0])));
    assertThat(header.getString("kid")).isEqualTo("2025-01");
    assertThat(header.getString("alg")).isEqualTo("ES256");
    assertThat(get("/api/v1/queues", token).status()).isEqualTo(200);
    assertThat(b.created()).isTrue();
  }

  @Test
  void everyBadCredentialGetsTheSameAnswer() {
    String slug = AuthFixtures.tenantSlug();
    String email = "boss@" + slug + ".test";
    bootstrap(slug, email, "good-password");
    Staff owner = new Staff(server, slug, server.login(slug, email, "good-password"));
    Staff agent = AuthFixtures.signIn(owner, "agent");
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
    Staff owner = server.tenant(AuthFixtures.tenantSlug());
    JwtKeys sameKeys = JwtKeys.load(keysDir);
    TokenService sameSigner = new TokenService(vertx, sameKeys, server.app().modules().config().jwt());
    // the owner's real ids: a token of an account that does not exist is refused as revoked (TokenVersionIT)
    UUID tenantId = UUID.fromString(server.scalar("SELECT id FROM tenants WHERE slug = '" + owner.tenant() + "'"));
    TenantService.Bootstrapped who = new TenantService.Bootstrapped(tenantId, UUID.fromString(server.scalar(
        "SELECT id FROM staff_users WHERE tenant_id = '" + tenantId + "'")), false);
    String expired = sameSigner.issue(who.tenantId(), who.ownerId(), Role.OWNER, -120).token();
    String strangerSigned = new TokenService(vertx, JwtKeys.generate(), server.app().modules().config().jwt())
        .issue(who.tenantId(), who.ownerId(), Role.OWNER).token();

    assertThat(server.http("GET", "/api/v1/queues", null).json().getString("code")).isEqualTo("auth.missing_token");
    Resp missing = server.http("GET", "/api/v1/queues", null, "Authorization", "Basic b3duZXI6cHc=");
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.json().getString("code")).isEqualTo("auth.missing_token");
    assertThat(missing.header("WWW-Authenticate")).isEqualTo("Bearer");
    // signed by the server's own key, valid in every claim, but with a crit header (RFC 7515 §4.1.11)
    JWTAuthOptions options = new JWTAuthOptions();
    sameKeys.authJwks().forEach(options::addJwk);
    String critical = JWTAuth.create(vertx, options).generateToken(
        new JsonObject().put(TokenService.TENANT, who.tenantId().toString()).put(TokenService.ROLE, "owner"),
        new JWTOptions().setAlgorithm(JwtKeys.ALGORITHM)
            .setIssuer(server.app().modules().config().jwt().issuer()).setSubject(who.ownerId().toString())
            .setHeader(new JsonObject().put("crit", new JsonArray().add("vq-ext"))
                .put("vq-ext", 1)));
    for (String bad : List.of("garbage", expired, strangerSigned, owner.token() + "x", critical)) {
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
