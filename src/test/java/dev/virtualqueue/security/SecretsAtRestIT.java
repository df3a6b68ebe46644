package dev.virtualqueue.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No secret the server hands out (or is handed: passwords) can be recovered from a database
 * dump: a flow hands out each kind, then {@code pg_dump} of the whole database must contain none
 * of them, neither as text nor as the hex of their bytes (how bytea is dumped). Webhook secrets
 * must be recoverable by the server to sign, so they are stored sealed under the server key (a file
 * outside the database): neither the secret nor its key bytes appear.
 */
class SecretsAtRestIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("VQ_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true"));

  @Test
  void aDumpHoldsNoSecretThatWasHandedOut() throws Exception {
    Map<String, String> secrets = new LinkedHashMap<>();
    Staff owner = server.tenant("vault");
    secrets.put("owner JWT", owner.token());
    String password = "a long staff password " + UUID.randomUUID();
    Resp agent = owner.call("POST", "/api/v1/staff", new JsonObject().put("email", "agent@vault.test")
        .put("displayName", "Agent").put("role", "agent").put("password", password).encode());
    assertThat(agent.status()).isEqualTo(201);
    secrets.put("staff password", password);
    secrets.put("agent JWT", server.login("vault", "agent@vault.test", password));
    Resp key = owner.call("POST", "/api/v1/api-keys", new JsonObject().put("name", "crm").put("role", "agent").encode());
    secrets.put("API key", key.json().getString("key"));
    String queueId = owner.queue("front").getString("id");
    secrets.put("display key", owner.call("POST", "/api/v1/queues/" + queueId + "/display-key").json().getString("key"));
    String join = "/api/v1/public/vault/queues/front/tickets";
    secrets.put("ticket token (no key)", server.http("POST", join, "{\"name\":\"Ann\"}").json().getString("token"));
    String idem = UUID.randomUUID().toString();
    secrets.put("Idempotency-Key", idem);
    Resp keyed = server.http("POST", join, "{\"name\":\"Bob\"}", "Idempotency-Key", idem);
    secrets.put("ticket token (keyed join)", keyed.json().getString("token"));
    Resp kiosk = server.http("POST", join, "{}", "X-Display-Key", secrets.get("display key"),
        "Idempotency-Key", UUID.randomUUID().toString());
    secrets.put("ticket token (kiosk)", kiosk.json().getString("token"));
    webhookSecrets(owner).forEach(secrets::put);
    secrets.values().forEach(v -> assertThat(v).isNotBlank());

    String dump = pgDump();
    assertThat(dump).contains("Bob"); // the dump is of the right database
    List<String> found = new ArrayList<>();
    secrets.forEach((what, value) -> {
      String hex = HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8));
      if (dump.contains(value) || dump.contains(hex)) {
        found.add(what);
      }
    });
    found.addAll(webhookKeyBytesIn(dump, secrets));
    assertThat(found).as("secrets recoverable from pg_dump").isEmpty();
  }

  /** The webhook secrets whose raw key bytes (hex, as bytea is dumped) are in {@code dump}. */
  private static List<String> webhookKeyBytesIn(String dump, Map<String, String> secrets) {
    List<String> found = new ArrayList<>();
    for (String what : List.of("webhook secret", "rotated webhook secret")) {
      byte[] key = Base64.getDecoder().decode(secrets.get(what).substring("whsec_".length()));
      if (dump.contains(HexFormat.of().formatHex(key))) {
        found.add(what + " (its key bytes)");
      }
    }
    return found;
  }

  /** A webhook's secret, and the one a rotation gave it (both sign deliveries for a day). */
  private static Map<String, String> webhookSecrets(Staff owner) {
    Resp hook = owner.call("POST", "/api/v1/webhooks", new JsonObject().put("url", "http://127.0.0.1:9/hook")
        .put("events", new JsonArray().add("ticket.created")).encode());
    assertThat(hook.status()).as("%s", hook).isEqualTo(201);
    String id = hook.json().getString("id");
    Resp rotated = owner.call("POST", "/api/v1/webhooks/" + id + "/rotate-secret");
    Map<String, String> out = new LinkedHashMap<>();
    out.put("webhook secret", hook.json().getString("secret"));
    out.put("webhook secret (base64 key)", hook.json().getString("secret").substring("whsec_".length()));
    out.put("rotated webhook secret", rotated.json().getString("secret"));
    return out;
  }

  private static String pgDump() throws Exception {
    URI db = URI.create(server.pgUrl());
    String user = db.getUserInfo() == null ? "postgres" : db.getUserInfo().split(":")[0];
    Process p = new ProcessBuilder("pg_dump", "--no-owner", "-h", db.getHost(),
        "-p", String.valueOf(db.getPort() > 0 ? db.getPort() : 5432), "-U", user, db.getPath().substring(1))
        .redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }
}
