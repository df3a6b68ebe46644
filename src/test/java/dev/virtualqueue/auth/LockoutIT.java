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

/** Sign-in throttling and lockout over HTTP: 429 with Retry-After, alike for real and unknown accounts; unlock. */
class LockoutIT {
  static final Path keysDir = AuthFixtures.keysDir();
  @RegisterExtension
  static final TestServer server = AuthFixtures.prodServer(keysDir);

  @AfterAll
  static void stop() throws Exception {
    AuthFixtures.delete(keysDir);
  }

  private static Resp login(String tenant, String email, String password) {
    return server.http("POST", "/api/v1/auth/login", new JsonObject().put("tenant", tenant).put("email", email)
        .put("password", password).encode());
  }

  private static String bootstrap(String slug, String email) {
    return server.app().modules().auth().tenants()
        .bootstrap(slug, "Tenant " + slug, email, "Owner", "good-password-1".toCharArray()).await().ownerId().toString();
  }

  /** Five failures, then the answer to an immediate sixth attempt with the right password. */
  private static Resp fiveFailuresThenTheRightPassword(String slug, String email) {
    for (int i = 0; i < 5; i++) {
      assertThat(login(slug, email, "wrong-password-" + i).status()).isEqualTo(401);
    }
    return login(slug, email, "good-password-1");
  }

  @Test
  void fiveFailuresThrottleRealUnknownAndTenantlessAccountsAlike() {
    String slug = AuthFixtures.tenantSlug();
    String email = "boss@" + slug + ".test";
    bootstrap(slug, email);

    for (Resp r : new Resp[] {fiveFailuresThenTheRightPassword(slug, email),
        fiveFailuresThenTheRightPassword(slug, "nobody@" + slug + ".test"),
        fiveFailuresThenTheRightPassword("no-such-" + slug, email)}) {
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.json().getString("code")).isEqualTo("auth.throttled");
      assertThat(r.header("Retry-After")).isEqualTo("1");
      assertThat(r.json().getString("detail")).isEqualTo("Too many failed sign-ins: wait before trying again.");
    }
  }

  @Test
  void anAdminUnlocksAnAccount() throws Exception {
    String slug = AuthFixtures.tenantSlug();
    String email = "boss@" + slug + ".test";
    bootstrap(slug, email);
    Staff owner = new Staff(server, slug, server.login(slug, email, "good-password-1"));
    Staff agent = AuthFixtures.signIn(owner, "agent");
    JsonObject agentRow = owner.call("GET", "/api/v1/staff").items().stream().map(o -> (JsonObject) o)
        .filter(s -> s.getString("role").equals("agent")).findFirst().orElseThrow();

    assertThat(fiveFailuresThenTheRightPassword(slug, agentRow.getString("email")).status()).isEqualTo(429);
    assertThat(agent.call("POST", "/api/v1/staff/" + agentRow.getString("id") + "/unlock").status()).isEqualTo(403);
    assertThat(owner.call("POST", "/api/v1/staff/" + UUID.randomUUID() + "/unlock").status()).isEqualTo(404);
    assertThat(owner.call("POST", "/api/v1/staff/" + agentRow.getString("id") + "/unlock").status()).isEqualTo(204);
    Thread.sleep(1_100); // the address's own count (5 of 20) does not throttle; only the account's did
    assertThat(login(slug, agentRow.getString("email"), "wrong-password-x").status()).isEqualTo(401);
  }
}
