package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.ChildServer;
import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-account token versions across two server processes on one database: a change through one
 * server (or an operator's SQL) ends the account's tokens on the other within a second, with 401
 * {@code auth.token_revoked}, while the other server answers known tokens from memory.
 */
class TokenVersionIT {
  private static final Path KEYS = AuthFixtures.keysDir();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("VQ_JWT_KEYS_DIR", KEYS.toString()));

  @AfterAll
  static void cleanUp() throws IOException {
    AuthFixtures.delete(KEYS);
  }

  private static Resp get(String base, String path, String token) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
          .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return new Resp(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String staffId(String email) {
    return server.scalar("SELECT id FROM staff_users WHERE email = '" + email + "'");
  }

  /** Polls {@code base} until it refuses {@code token}; the milliseconds since {@code since} (nanoTime). */
  private static long untilRefused(String base, String token, long since) {
    Resp refused = Poll.until(() -> get(base, "/api/v1/queues", token), r -> r.status() == 401, 5_000,
        "the other server refuses the token");
    assertThat(refused.json().getString("code")).isEqualTo("auth.token_revoked");
    assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer");
    long millis = (System.nanoTime() - since) / 1_000_000;
    System.out.printf("TokenVersionIT: the other server refused the token %d ms after the change%n", millis);
    return millis;
  }

  @Test
  void aChangeOnOneServerEndsTheTokenOnTheOtherWithinASecond() throws IOException {
    Staff owner = server.tenant("twins-" + UUID.randomUUID().toString().substring(0, 6));
    String email = "agent@" + owner.tenant() + ".test";
    String id = owner.call("POST", "/api/v1/staff", new JsonObject().put("email", email).put("displayName", "A")
        .put("role", "agent").put("password", "an agent password here").encode()).json().getString("id");
    JsonObject signIn = server.http("POST", "/api/v1/auth/login", new JsonObject().put("tenant", owner.tenant())
        .put("email", email).put("password", "an agent password here").encode()).json();
    String token = signIn.getString("accessToken");
    try (ChildServer twin = ChildServer.start(server, Map.of("VQ_JWT_KEYS_DIR", KEYS.toString()),
        "token-version-twin.log")) {
      // the twin knows the token and the account now (memory), and keeps answering from there
      Poll.until(() -> get(twin.base(), "/api/v1/queues", token).status(), s -> s == 200, 5_000, "the twin serves");
      assertThat(get(twin.base(), "/api/v1/queues", token).status()).isEqualTo(200);

      long at = System.nanoTime();
      Resp disabled = owner.call("PATCH", "/api/v1/staff/" + id, new JsonObject().put("disabled", true).encode());
      assertThat(disabled.status()).as("%s", disabled).isEqualTo(200);
      assertThat(server.http("GET", "/api/v1/queues", null, "Authorization", "Bearer " + token).status())
          .as("refused at once by the server that made the change").isEqualTo(401);
      assertThat(untilRefused(twin.base(), token, at)).as("ms until the twin refused").isLessThan(1_000);
      assertThat(server.http("POST", "/api/v1/auth/refresh", new JsonObject()
          .put("refreshToken", signIn.getString("refreshToken")).encode()).status())
          .as("the account's sessions are revoked too").isEqualTo(401);

      // enabled again, a new sign-in works on both; an operator's SQL bump then ends it on the twin too
      assertThat(owner.call("PATCH", "/api/v1/staff/" + id, new JsonObject().put("disabled", false).encode())
          .status()).isEqualTo(200);
      String again = server.login(owner.tenant(), email, "an agent password here");
      Poll.until(() -> get(twin.base(), "/api/v1/queues", again).status(), s -> s == 200, 5_000, "the twin serves");
      long sqlAt = System.nanoTime();
      server.sql("UPDATE staff_users SET token_version = token_version + 1 WHERE id = '" + id + "'");
      assertThat(untilRefused(twin.base(), again, sqlAt)).as("ms until the twin refused (SQL)").isLessThan(1_000);
    }
    assertThat(staffId(email)).isEqualTo(id);
  }

  @Test
  void aSignOutEndsTheAccessTokenAtOnceAndOtherSessionsRefresh() {
    Staff owner = server.tenant("out-" + UUID.randomUUID().toString().substring(0, 6));
    String email = "owner@" + owner.tenant() + ".test";
    String password = "correct-horse-" + owner.tenant();
    JsonObject laptop = server.http("POST", "/api/v1/auth/login", new JsonObject().put("tenant", owner.tenant())
        .put("email", email).put("password", password).encode()).json();
    JsonObject phone = server.http("POST", "/api/v1/auth/login", new JsonObject().put("tenant", owner.tenant())
        .put("email", email).put("password", password).encode()).json();
    String access = laptop.getString("accessToken");
    assertThat(get(server.base(), "/api/v1/queues", access).status()).isEqualTo(200);

    assertThat(server.http("POST", "/api/v1/auth/logout", new JsonObject()
        .put("refreshToken", laptop.getString("refreshToken")).encode(), "Authorization", "Bearer " + access)
        .status()).isEqualTo(204);
    Resp after = get(server.base(), "/api/v1/queues", access);
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.json().getString("code")).isEqualTo("auth.token_revoked");
    assertThat(get(server.base(), "/api/v1/queues", phone.getString("accessToken")).status())
        .as("every access token of the account ends").isEqualTo(401);
    Resp refreshed = server.http("POST", "/api/v1/auth/refresh", new JsonObject()
        .put("refreshToken", phone.getString("refreshToken")).encode());
    assertThat(refreshed.status()).as("the other session refreshes: %s", refreshed).isEqualTo(200);
    assertThat(get(server.base(), "/api/v1/queues", refreshed.json().getString("accessToken")).status())
        .isEqualTo(200);
    String scrape = server.send("GET", server.management() + "/metrics", null).body();
    assertThat(scrape).contains("vq_auth_tokens_revoked_total{reason=\"logout\"}")
        .contains("vq_auth_failures_total{reason=\"token_revoked\"}");
    assertThat(scrape).doesNotContain("vq_auth_failures_total{reason=\"token_revoked\"} 0.0");
  }

  @Test
  void aRoleChangedBehindTheApisBackCountsAtOnce() {
    Staff owner = server.tenant("sqlrole-" + UUID.randomUUID().toString().substring(0, 6));
    Staff admin = AuthFixtures.signIn(owner, "admin");
    assertThat(admin.call("GET", "/api/v1/staff").status()).isEqualTo(200);
    server.sql("UPDATE staff_users SET role = 'viewer' WHERE email LIKE 'admin-%@" + owner.tenant() + ".test'");
    Resp reduced = Poll.until(() -> admin.call("GET", "/api/v1/staff"), r -> r.status() != 200, 5_000,
        "the old token carries the new role");
    assertThat(reduced.status()).isEqualTo(403);
    assertThat(admin.call("GET", "/api/v1/queues").status()).as("still a viewer").isEqualTo(200);

    // well signed, but for no account that exists
    String ghost = server.app().modules().auth().tokens().issue(UUID.randomUUID(), UUID.randomUUID(), Role.OWNER)
        .token();
    Resp refused = get(server.base(), "/api/v1/queues", ghost);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.json().getString("code")).isEqualTo("auth.token_revoked");
  }

  @Test
  void knownAccountsCostNoQueryAndALostListenNeverServesAStaleVersion() {
    Staff owner = server.tenant("listen-" + UUID.randomUUID().toString().substring(0, 6));
    AuthModule auth = server.app().modules().auth();
    Poll.until(auth::tokenVersionsTrusted, ok -> ok, 10_000, "the token versions are followed");
    assertThat(owner.call("GET", "/api/v1/queues").status()).isEqualTo(200);
    long lookups = auth.tokenVersionLookups();
    for (int i = 0; i < 50; i++) {
      assertThat(owner.call("GET", "/api/v1/queues").status()).isEqualTo(200);
    }
    assertThat(auth.tokenVersionLookups()).as("50 requests of a known account: no query").isEqualTo(lookups);

    String listener = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'vq-staff-tokens'"
        + " AND datname = current_database()";
    assertThat(server.count(listener)).isEqualTo(1);
    server.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'vq-staff-tokens'"
        + " AND datname = current_database()");
    // made while nobody may be listening: its notification can be lost, the version never is
    server.sql("UPDATE staff_users SET token_version = token_version + 1 WHERE email = 'owner@" + owner.tenant()
        + ".test'");
    Resp refused = Poll.until(() -> owner.call("GET", "/api/v1/queues"), r -> r.status() == 401, 10_000,
        "the bumped version is seen");
    assertThat(refused.json().getString("code")).isEqualTo("auth.token_revoked");
    Poll.until(() -> server.count(listener), n -> n == 1, 10_000, "a new LISTEN connection");
    Poll.until(auth::tokenVersionsTrusted, ok -> ok, 10_000, "trusted again");
    assertThat(owner.call("GET", "/api/v1/queues").status()).as("and still refused after the reconnect")
        .isEqualTo(401);
  }
}
