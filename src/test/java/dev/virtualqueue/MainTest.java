package dev.virtualqueue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The command line: {@code --help} on every command prints its usage and exits 0 without reading
 * any setting; {@code bootstrap} needs no JWT keys outside the dev profile, serving does.
 */
class MainTest {
  private final PrintStream realOut = System.out;
  private final PrintStream realErr = System.err;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  /** A configuration that cannot load (no such file): help must not need it. */
  private static final Map<String, String> BROKEN = Map.of("VQ_CONFIG", "/nonexistent/virtual-queue.json");
  private static final Map<String, String> PROD_WITHOUT_KEYS = Map.of("VQ_CONFIG", "conf/virtual-queue.json",
      "VQ_PROFILE", "prod", "VQ_PG_URL", "postgresql://postgres@127.0.0.1:1/nothing");

  @BeforeEach
  void capture() {
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(realOut);
    System.setErr(realErr);
  }

  private int run(Map<String, String> env, String... args) {
    out.reset();
    err.reset();
    return Main.run(args, env);
  }

  @Test
  void everyCommandExplainsItselfWithHelp() {
    assertThat(run(BROKEN, "--help")).isZero();
    assertThat(out.toString()).startsWith("usage: virtual-queue").contains("bootstrap").contains("keys generate")
        .contains("access-keys");
    assertThat(run(BROKEN, "help")).isZero();
    assertThat(run(BROKEN, "serve", "--help")).isZero();
    assertThat(out.toString()).startsWith("usage: virtual-queue [serve]").contains("VQ_JWT_KEYS_DIR");
    assertThat(run(BROKEN, "bootstrap", "--help")).isZero();
    assertThat(out.toString()).startsWith("usage: virtual-queue bootstrap").contains("--password-file");
    assertThat(run(BROKEN, "bootstrap", "--tenant", "x", "-h")).isZero();
    assertThat(run(BROKEN, "keys", "--help")).isZero();
    assertThat(out.toString()).startsWith("usage: virtual-queue keys generate");
    assertThat(run(BROKEN, "access-keys", "--help")).isZero();
    assertThat(out.toString()).startsWith("usage: virtual-queue access-keys").contains("--overlap");
    assertThat(run(BROKEN, "db", "--help")).isZero();
    assertThat(out.toString()).startsWith("usage: virtual-queue db validate").contains("pending");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void anUnknownCommandPrintsTheUsageAndExits2() {
    assertThat(run(BROKEN, "serv")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown command 'serv'").contains("usage: virtual-queue");
  }

  @Test
  void bootstrapNeedsNoKeysButServingDoes() {
    // bootstrap gets past the configuration (no VQ_JWT_KEYS_DIR needed) to reading its password file
    assertThat(run(PROD_WITHOUT_KEYS, "bootstrap", "--tenant", "acme", "--email", "boss@acme.test",
        "--password-file", "/nonexistent/pw.txt")).isEqualTo(2);
    assertThat(err.toString()).contains("cannot read the password file").doesNotContain("VQ_JWT_KEYS_DIR");
    assertThat(run(PROD_WITHOUT_KEYS, "serve")).isEqualTo(2);
    assertThat(err.toString()).contains("config error: VQ_JWT_KEYS_DIR is required outside the dev profile");
  }

  @Test
  void aProductionStartWithDevLeftoversOrATypoIsRefusedOneLineEach() {
    Map<String, String> env = new HashMap<>(PROD_WITHOUT_KEYS);
    env.putAll(Map.of("VQ_JWT_KEYS_DIR", ".dev/jwt-keys", "VQ_HTTP_TRUSTED_PROXIES", "0.0.0.0/0",
        "VQ_HTTP_PROT", "9000"));
    assertThat(run(env, "serve")).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly(
        "config error: VQ_HTTP_PROT is not a setting (no such variable is read): did you mean VQ_HTTP_PORT?",
        "config error: VQ_JWT_KEYS_DIR=.dev/jwt-keys is the dev profile's folder of throwaway keys: make production"
            + " keys with 'virtual-queue keys generate --dir <folder>' (docs/auth.md)",
        "config error: VQ_HTTP_TRUSTED_PROXIES holds 0.0.0.0/0, which trusts every address: any client could then"
            + " forge X-Forwarded-For and X-Forwarded-Proto; list only the load balancers' addresses");
  }
}
