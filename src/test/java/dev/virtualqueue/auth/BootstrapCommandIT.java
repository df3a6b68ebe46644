package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.config.ConfigLoader;
import dev.virtualqueue.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's {@code bootstrap} command on an empty database, with the production profile. */
class BootstrapCommandIT {
  @TempDir
  Path dir;
  private final String database = "vq_it_boot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private AppConfig config;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void createEmptyDatabase() throws Exception {
    admin("CREATE DATABASE " + database);
    URI base = URI.create(TestServer.PG_URL);
    String url = base.getScheme() + "://" + (base.getUserInfo() == null ? "" : base.getUserInfo() + "@")
        + base.getHost() + ":" + (base.getPort() > 0 ? base.getPort() : 5432) + "/" + database;
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(Map.of("VQ_CONFIG", "conf/virtual-queue.json", "VQ_PROFILE", "prod", "VQ_PG_URL", url,
        "VQ_JWT_KEYS_DIR", dir.toString())); // bootstrap itself needs no key, prod config just requires the setting
    config = ConfigLoader.load(env);
  }

  @AfterEach
  void dropDatabase() throws Exception {
    admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  private int run(String stdin, String... args) {
    out.reset();
    err.reset();
    return BootstrapCommand.run(config, args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void migratesCreatesOnceThenChangesNothing() throws Exception {
    Path pw = dir.resolve("pw.txt");
    Files.writeString(pw, "first password\n");
    String[] args = {"--tenant", "acme", "--email", "boss@acme.test", "--name", "Acme Clinic",
        "--password-file", pw.toString()};

    assertThat(run("", args)).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("created tenant acme with owner boss@acme.test\n");
    String hash = query("SELECT password_hash FROM staff_users WHERE email = 'boss@acme.test' AND role = 'owner'");
    assertThat(hash).startsWith("$2a$11$");
    assertThat(query("SELECT name FROM tenants WHERE slug = 'acme'")).isEqualTo("Acme Clinic");

    Files.writeString(pw, "another password\n");
    assertThat(run("", args)).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("tenant acme already exists; nothing changed\n");
    assertThat(query("SELECT password_hash FROM staff_users WHERE email = 'boss@acme.test'")).isEqualTo(hash);
    assertThat(PasswordHasher.verifyNow("first password".toCharArray(), hash)).isTrue();
  }

  @Test
  void readsThePasswordFromStdin() throws Exception {
    assertThat(run("from stdin 123\n", "--tenant", "piped", "--email", "p@piped.test", "--password-stdin"))
        .as(err.toString()).isZero();
    String hash = query("SELECT password_hash FROM staff_users WHERE email = 'p@piped.test'");
    assertThat(PasswordHasher.verifyNow("from stdin 123".toCharArray(), hash)).isTrue();
  }

  @Test
  void refusesAPasswordOnTheCommandLineAndBadInputWithExitCode2() throws Exception {
    assertThat(run("", "--tenant", "acme", "--email", "boss@acme.test", "--password", "x")).isEqualTo(2);
    assertThat(err.toString()).contains("never taken from the command line").contains("usage:");
    assertThat(run("short\n", "--tenant", "acme", "--email", "boss@acme.test", "--password-stdin")).isEqualTo(2);
    assertThat(err.toString()).contains("12 to 256 characters");
    assertThat(run("long enough pw\n", "--tenant", "Not A Slug", "--email", "boss@acme.test", "--password-stdin"))
        .isEqualTo(2);
    assertThat(run("long enough pw\n", "--tenant", "acme", "--email", "not-an-email", "--password-stdin"))
        .isEqualTo(2);
    assertThat(query("SELECT to_regclass('public.tenants')::text")).isNull(); // refused before touching the database
  }

  @Test
  void anUnreachableDatabaseExitsWith1() throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(Map.of("VQ_CONFIG", "conf/virtual-queue.json", "VQ_PROFILE", "prod",
        "VQ_PG_URL", "postgresql://127.0.0.1:1/nothing", "VQ_JWT_KEYS_DIR", dir.toString()));
    config = ConfigLoader.load(env);
    assertThat(run("long enough pw\n", "--tenant", "acme", "--email", "boss@acme.test", "--password-stdin"))
        .isEqualTo(1);
    assertThat(err.toString()).startsWith("bootstrap failed:");
  }

  private String query(String sql) throws Exception {
    try (Connection c = connect(database); var rs = c.createStatement().executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
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
