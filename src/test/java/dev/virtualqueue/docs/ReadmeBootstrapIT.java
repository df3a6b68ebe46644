package dev.virtualqueue.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.auth.JwtKeys;
import dev.virtualqueue.testing.TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's production lines run as written, with the production profile and no
 * {@code VQ_JWT_KEYS_DIR} set beforehand: a signing key is written, and the tenant and its owner exist.
 */
class ReadmeBootstrapIT {
  private static final Path PROJECT = Path.of("").toAbsolutePath();
  @TempDir
  Path work;
  private final String database = "vq_it_readme_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

  @BeforeEach
  void createDatabase() throws Exception {
    admin("CREATE DATABASE " + database);
  }

  @AfterEach
  void dropDatabase() throws Exception {
    admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  private static String block() throws Exception {
    String readme = Files.readString(PROJECT.resolve("README.md"));
    Matcher m = Pattern.compile("\\n### Production keys and the first tenant\\n.*?```sh\\n(.*?)\\n```", Pattern.DOTALL)
        .matcher(readme);
    assertThat(m.find()).as("README has the production keys block").isTrue();
    return m.group(1);
  }

  @Test
  void theReadmeProductionLinesWriteAKeyAndCreateTheTenant() throws Exception {
    String lines = block();
    assertThat(lines).contains("keys generate").contains("bootstrap");
    // a copy of the project folder as an operator has it: the jar and the config
    Files.createSymbolicLink(work.resolve("target"), PROJECT.resolve("target"));
    Files.createSymbolicLink(work.resolve("conf"), PROJECT.resolve("conf"));
    Files.writeString(work.resolve("pw.txt"), "the owner's long password\n");

    ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", lines).directory(work.toFile())
        .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("VQ_"));
    env.put("VQ_PROFILE", "prod");
    env.put("VQ_PG_URL", url());
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the lines finish").isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("wrote ").contains("created tenant acme with owner boss@acme.test");

    JwtKeys keys = JwtKeys.load(work.resolve("jwt-keys"));
    assertThat(keys.kids()).hasSize(1);
    try (Connection c = connect(database); var rs = c.createStatement().executeQuery(
        "SELECT t.name, s.role FROM tenants t JOIN staff_users s ON s.tenant_id = t.id WHERE t.slug = 'acme'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("Acme");
      assertThat(rs.getString(2)).isEqualTo("owner");
    }
  }

  private String url() {
    URI base = URI.create(TestServer.PG_URL);
    return base.getScheme() + "://" + (base.getUserInfo() == null ? "" : base.getUserInfo() + "@")
        + base.getHost() + ":" + (base.getPort() > 0 ? base.getPort() : 5432) + "/" + database;
  }

  private static void admin(String sql) throws Exception {
    try (Connection c = connect("postgres")) {
      c.createStatement().execute(sql);
    }
  }

  private static Connection connect(String db) throws Exception {
    return TestServer.jdbc(TestServer.PG_URL, db);
  }
}
