package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two servers on one database: a key revoked through one stops on the other within a second. */
class ApiKeyRevocationIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void aDisabledOrDemotedAccountMintsNoKeyWithItsOldToken() {
    Staff owner = server.tenant("mint-stale");
    Staff admin = AuthFixtures.signIn(owner, "admin");
    String body = new JsonObject().put("name", "k").put("role", "agent").encode();
    assertThat(admin.call("POST", "/api/v1/api-keys", body).status()).isEqualTo(201);

    // an operator's SQL reaches the server's token cache by NOTIFY (tens of ms): within a second
    server.sql("UPDATE staff_users SET role = 'agent' WHERE email LIKE 'admin-%@mint-stale.test'");
    Resp demoted = Poll.until(() -> admin.call("POST", "/api/v1/api-keys", body), r -> r.status() != 201, 1_000,
        "the demoted account's old token mints no key");
    assertThat(demoted.status()).isEqualTo(403);
    assertThat(demoted.json().getString("code")).isEqualTo("auth.forbidden");

    server.sql("UPDATE staff_users SET role = 'admin', disabled = true WHERE email LIKE 'admin-%@mint-stale.test'");
    Resp disabled = Poll.until(() -> admin.call("POST", "/api/v1/api-keys", body), r -> r.status() == 401, 1_000,
        "the disabled account's old token is refused");
    assertThat(disabled.status()).isEqualTo(401);
    assertThat(disabled.json().getString("code")).isEqualTo("auth.token_revoked");
    assertThat(owner.call("POST", "/api/v1/api-keys", body).status()).isEqualTo(201);
  }

  @Test
  void aRevokeOnOneServerReachesTheOthersCacheWithinASecond() {
    Staff admin = server.tenant("revoke-twins");
    String key = AuthFixtures.apiKey(admin, "agent");
    try (TestServer twin = server.sibling()) {
      Poll.until(() -> twin.app().modules().auth().apiKeyCacheTrusted(), ok -> ok, 5_000, "the twin listens");
      // the twin has the key in its cache now
      assertThat(twin.http("GET", "/api/v1/queues", null, "Authorization", "Bearer " + key).status()).isEqualTo(200);
      assertThat(twin.http("GET", "/api/v1/queues", null, "Authorization", "Bearer " + key).status()).isEqualTo(200);

      JsonObject listed = admin.call("GET", "/api/v1/api-keys").items().getJsonObject(0);
      long revokedAt = System.nanoTime();
      assertThat(admin.call("DELETE", "/api/v1/api-keys/" + listed.getString("id")).status()).isEqualTo(204);
      Poll.until(() -> twin.http("GET", "/api/v1/queues", null, "Authorization", "Bearer " + key).status(),
          s -> s == 401, 5_000, "the twin refuses the revoked key");
      assertThat((System.nanoTime() - revokedAt) / 1_000_000).as("ms until the twin refused").isLessThan(1_000);
    }
  }
}
