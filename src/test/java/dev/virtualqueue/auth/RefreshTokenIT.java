package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Refresh tokens: rotation, reuse detection (the family dies), disabled accounts, sign-out. */
class RefreshTokenIT {
  static final Path keysDir = AuthFixtures.keysDir();
  @RegisterExtension
  static final TestServer server = AuthFixtures.prodServer(keysDir);

  @AfterAll
  static void stop() throws Exception {
    AuthFixtures.delete(keysDir);
  }

  private static JsonObject signIn(String slug, String email) {
    Resp r = server.http("POST", "/api/v1/auth/login", new JsonObject().put("tenant", slug).put("email", email)
        .put("password", "good-password-1").encode());
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json();
  }

  private static String owner() {
    String slug = AuthFixtures.tenantSlug();
    server.app().modules().auth().tenants()
        .bootstrap(slug, "Tenant " + slug, "boss@" + slug + ".test", "Owner", "good-password-1".toCharArray()).await();
    return slug;
  }

  private static Resp refresh(String token) {
    return server.http("POST", "/api/v1/auth/refresh", new JsonObject().put("refreshToken", token).encode());
  }

  @Test
  void aRefreshTokenRotatesAndItsReuseRevokesTheWholeFamily() {
    String slug = owner();
    JsonObject login = signIn(slug, "boss@" + slug + ".test");
    String first = login.getString("refreshToken");
    assertThat(first).startsWith("vqr_").hasSizeGreaterThanOrEqualTo(4 + 43);
    assertThat(login.getInteger("expiresIn")).isEqualTo(server.app().modules().config().jwt().ttlSeconds());

    Resp second = refresh(first);
    assertThat(second.status()).isEqualTo(200);
    String next = second.json().getString("refreshToken");
    assertThat(next).isNotEqualTo(first);
    assertThat(server.http("GET", "/api/v1/queues", null, "Authorization",
        "Bearer " + second.json().getString("accessToken")).status()).isEqualTo(200);

    Resp reuse = refresh(first);
    assertThat(reuse.status()).isEqualTo(401);
    assertThat(reuse.json().getString("code")).isEqualTo("auth.invalid_refresh_token");
    // the thief's reuse also killed the legitimate latest token
    assertThat(refresh(next).status()).isEqualTo(401);
    assertThat(refresh("vqr_nonsense").status()).isEqualTo(401);
    String scrape = server.send("GET", server.management() + "/metrics", null).body();
    assertThat(scrape).contains("vq_auth_refresh_reuse_total 1.0").contains("vq_auth_tokens_revoked_total{reason=\"reuse\"} 1.0");
  }

  @Test
  void aDisabledAccountCannotRefreshAndSignOutEndsTheSession() {
    String slug = owner();
    String email = "boss@" + slug + ".test";
    JsonObject a = signIn(slug, email);
    JsonObject b = signIn(slug, email);

    Resp out = server.http("POST", "/api/v1/auth/logout", new JsonObject().put("refreshToken", a.getString("refreshToken"))
        .encode(), "Authorization", "Bearer " + a.getString("accessToken"));
    assertThat(out.status()).isEqualTo(204);
    assertThat(refresh(a.getString("refreshToken")).status()).isEqualTo(401);
    assertThat(refresh(b.getString("refreshToken")).status()).isEqualTo(200);

    JsonObject c = signIn(slug, email);
    server.sql("UPDATE staff_users SET disabled = true WHERE email = '" + email + "'");
    assertThat(refresh(c.getString("refreshToken")).status()).isEqualTo(401);
  }
}
