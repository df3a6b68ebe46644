package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/** Shared set-up of the auth integration tests. */
final class AuthFixtures {
  private AuthFixtures() {
  }

  /** A temporary key folder holding one signing key, kid {@code 2025-01} (for a static field). */
  static Path keysDir() {
    try {
      Path dir = Files.createTempDirectory("vq-auth-it-keys");
      Files.writeString(dir.resolve("2025-01.pem"), PemKeys.write(PemKeys.generate()));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The per-class server ({@link TestServer#perClass()}) in the production profile: real key
   * material from {@code keysDir}, read once at start, no demo data.
   */
  static TestServer prodServer(Path keysDir) {
    return TestServer.perClass(Map.of("VQ_PROFILE", "prod", "VQ_JWT_KEYS_DIR", keysDir.toString()));
  }

  static void delete(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  static String tenantSlug() {
    return "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates a staff account with {@code role} as {@code owner} and signs it in. */
  static Staff signIn(Staff owner, String role) {
    String email = role + "-" + UUID.randomUUID().toString().substring(0, 6) + "@" + owner.tenant() + ".test";
    Resp created = owner.call("POST", "/api/v1/staff", new JsonObject().put("email", email)
        .put("displayName", "A " + role).put("role", role).put("password", "password-of-" + role).encode());
    assertThat(created.status()).as("create %s: %s", role, created).isEqualTo(201);
    String token = owner.server().login(owner.tenant(), email, "password-of-" + role);
    return new Staff(owner.server(), owner.tenant(), token);
  }

  /** Creates an API key with {@code role} and returns the key. */
  static String apiKey(Staff by, String role) {
    Resp r = by.call("POST", "/api/v1/api-keys",
        new JsonObject().put("name", "integration").put("role", role).encode());
    assertThat(r.status()).as("create key: %s", r).isEqualTo(201);
    return r.json().getString("key");
  }

  static String staffBody(String email, String role) {
    return new JsonObject().put("email", email).put("displayName", "Someone").put("role", role)
        .put("password", "long enough password").encode();
  }
}
