package dev.virtualqueue.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server-side example of docs/protected-site.md, run as a protected site's developer would:
 * {@code jose} installed from npm, {@code docs/examples/verify-token.mjs} run by Node against a
 * real server's JWKS with a real admitted person's token. It passes with the token's claims, and
 * fails for another audience and for a token with a changed claim.
 *
 * <p>Needs {@code node} and {@code npm} with the npm registry reachable (CI has both): without
 * them this test fails, it does not skip.
 */
class VerifyTokenExampleIT {
  /** The jose release the example is tested with (npm view jose version). */
  static final String JOSE = "jose@6.2.18";
  static final String ISSUER = "https://queue.example.test";
  static final String AUDIENCE = "https://shop.example.test";
  static final Path EXAMPLE = Path.of("docs/examples/verify-token.mjs");

  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("VQ_HTTP_PUBLIC_URL", ISSUER));
  @TempDir
  static Path site;

  /** What a run of the example printed, and how it ended. */
  record Run(int exit, String out, String err) {
  }

  @BeforeAll
  static void installJose() throws Exception {
    Files.copy(EXAMPLE, site.resolve("verify-token.mjs"));
    Run npm = run(site, Map.of(), "npm", "install", "--prefix", site.toString(), "--no-audit", "--no-fund",
        "--loglevel=error", JOSE);
    assertThat(npm.exit()).as("npm install %s failed (is npm installed and its registry reachable?)%n%s%s", JOSE,
        npm.out(), npm.err()).isZero();
    assertThat(site.resolve("node_modules/jose/package.json")).exists();
  }

  static Run run(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile());
    pb.environment().putAll(env);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end within 5 minutes");
    }
    return new Run(p.exitValue(), Files.readString(out).trim(), Files.readString(err).trim());
  }

  static Run verify(String token, String audience) throws Exception {
    return run(site, Map.of("VQ_ISSUER", ISSUER, "VQ_AUDIENCE", audience,
        "VQ_JWKS_URL", server.base() + "/.well-known/jwks.json"), "node", "verify-token.mjs", token);
  }

  /** A person let into a room at once, and the access token their ticket view carries. */
  static JsonObject admitted(Staff staff) {
    JsonObject joined = staff.join("shop");
    return Poll.until(() -> staff.ticket(joined), v -> v.getJsonObject("access") != null,
        "the ticket is admitted with an access token").put("id", joined.getString("id"));
  }

  @Test
  void theExampleLetsARealTokenInAndNothingElse() throws Exception {
    Staff staff = server.tenant("example");
    staff.queue("shop", new JsonObject().put("mode", "waiting_room").put("waitingRoom", new JsonObject()
        .put("queueingMethod", "passthrough").put("maxActiveUsers", 10).put("audience", AUDIENCE)));
    JsonObject ticket = admitted(staff);
    String token = ticket.getJsonObject("access").getString("accessToken");

    Run ok = verify(token, AUDIENCE);
    assertThat(ok.exit()).as(ok.err()).isZero();
    JsonObject claims = new JsonObject(ok.out());
    assertThat(claims.getString("sub")).isEqualTo(ticket.getString("id"));
    assertThat(claims.getString("iss")).isEqualTo(ISSUER);
    assertThat(claims.getString("aud")).isEqualTo(AUDIENCE);
    assertThat(claims.getString("qid")).isEqualTo(ticket.getString("queueId"));

    Run otherSite = verify(token, "https://other.example.test");
    assertThat(otherSite.exit()).isEqualTo(1);
    assertThat(otherSite.err()).startsWith("not let in: ERR_JWT_CLAIM_VALIDATION_FAILED").contains("aud");

    String[] parts = token.split("\\.");
    JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    payload.put("sub", "00000000-0000-4000-8000-000000000000");
    String changed = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(payload.encode().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    Run forged = verify(changed, AUDIENCE);
    assertThat(forged.exit()).isEqualTo(1);
    assertThat(forged.err()).startsWith("not let in: ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  }
}
