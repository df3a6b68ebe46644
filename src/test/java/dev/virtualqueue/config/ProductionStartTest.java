package dev.virtualqueue.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A production start (any profile but dev) refuses development leftovers and mistyped variables,
 * one line per problem; the dev profile accepts the same settings (mistyped variables only warn).
 */
class ProductionStartTest {
  @TempDir
  Path dir;

  private Map<String, String> prod(String... more) {
    Map<String, String> env = new HashMap<>(Map.of("VQ_CONFIG", "conf/virtual-queue.json", "VQ_PROFILE", "prod",
        "VQ_JWT_KEYS_DIR", dir.resolve("jwt-keys").toString()));
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  private static List<String> problems(Map<String, String> env) {
    try {
      ConfigLoader.load(env);
      return List.of();
    } catch (ConfigLoader.ConfigException e) {
      return e.problems();
    }
  }

  @Test
  void aCleanProductionConfigurationStarts() {
    assertThat(problems(prod("VQ_HTTP_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7", "VQ_DEV_HOME", "/var/tmp/vq-dev",
        "VQ_TEST_PG_URL", "postgresql://x@y/z", "VQ_BENCH_HOLD", "60", "VQ_LOG_LEVEL", "WARN"))).isEmpty();
  }

  @Test
  void trustAllProxiesAreRefusedInProductionOnly() {
    List<String> lines = problems(prod("VQ_HTTP_TRUSTED_PROXIES", "10.0.0.1, 0.0.0.0/0,::/0"));
    assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("VQ_HTTP_TRUSTED_PROXIES holds ")
        .contains("trusts every address"));
    assertThat(lines.get(0)).contains("0.0.0.0/0");
    assertThat(lines.get(1)).contains("::/0");
    Map<String, String> dev = prod("VQ_HTTP_TRUSTED_PROXIES", "0.0.0.0/0", "VQ_PROFILE", "dev");
    assertThat(problems(dev)).isEmpty();
  }

  @Test
  void theDevProfilesKeysAreRefusedInProduction() {
    List<String> lines = problems(prod("VQ_JWT_KEYS_DIR", ".dev/jwt-keys", "VQ_SECRETS_KEY_FILE", ".dev/secrets.key"));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("VQ_JWT_KEYS_DIR=.dev/jwt-keys is the dev profile's folder of throwaway keys")
        .contains("keys generate");
    assertThat(lines.get(1)).startsWith("VQ_SECRETS_KEY_FILE=.dev/secrets.key is the dev profile's throwaway");
    // a moved VQ_DEV_HOME is the dev folder too
    Path home = dir.resolve("devhome");
    assertThat(problems(prod("VQ_DEV_HOME", home.toString(), "VQ_JWT_KEYS_DIR", home.resolve("jwt-keys").toString())))
        .singleElement().satisfies(l -> assertThat(l).startsWith("VQ_JWT_KEYS_DIR="));
    assertThat(problems(prod("VQ_JWT_KEYS_DIR", ".dev/jwt-keys", "VQ_PROFILE", "dev"))).isEmpty();
  }

  @Test
  void aMistypedVariableStopsAProductionStartNamingTheNearestSetting() {
    assertThat(problems(prod("VQ_HTTP_PROT", "9000", "VQ_RATELIMIT_ENABLED", "false"))).containsExactly(
        "VQ_HTTP_PROT is not a setting (no such variable is read): did you mean VQ_HTTP_PORT?",
        "VQ_RATELIMIT_ENABLED is not a setting (no such variable is read): did you mean VQ_RATE_LIMIT_ENABLED?");
    assertThat(problems(prod("VQ_FROBNICATE", "1"))).singleElement().satisfies(l -> assertThat(l)
        .startsWith("VQ_FROBNICATE is not a setting").contains("every setting is listed in conf/production.env.example"));
    // the dev profile goes on (it logs a warning), so a typo never blocks a developer
    AppConfig dev = ConfigLoader.load(prod("VQ_HTTP_PROT", "9000", "VQ_PROFILE", "dev"));
    assertThat(dev.http().port()).isEqualTo(8080);
  }

  @Test
  void aMistypedKeyInTheConfigFileIsRefusedInEveryProfile() throws Exception {
    Path file = dir.resolve("vq.json");
    String json = Files.readString(Path.of("conf/virtual-queue.json")).replace("\"http.port\"", "\"http.prot\"");
    Files.writeString(file, json);
    assertThat(problems(prod("VQ_CONFIG", file.toString(), "VQ_PROFILE", "dev")))
        .anySatisfy(l -> assertThat(l).endsWith(": 'http.prot' is not a setting (did you mean 'http.port'?)"))
        .anySatisfy(l -> assertThat(l).isEqualTo("VQ_HTTP_PORT (http.port) is missing"));
  }

  @Test
  void tlsNeedsACertificateAndAKeyThatExist() throws Exception {
    assertThat(problems(prod("VQ_HTTP_TLS_CERT_FILE", dir.resolve("none.pem").toString())))
        .anySatisfy(l -> assertThat(l).contains("VQ_HTTP_TLS_CERT_FILE and VQ_HTTP_TLS_KEY_FILE go together"))
        .anySatisfy(l -> assertThat(l).endsWith("none.pem is not a readable file"));
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    Path key = Files.writeString(dir.resolve("key.pem"), "x");
    AppConfig tls = ConfigLoader.load(prod("VQ_HTTP_TLS_CERT_FILE", cert.toString(), "VQ_HTTP_TLS_KEY_FILE",
        key.toString()));
    assertThat(tls.http().tls()).isTrue();
    assertThat(ConfigLoader.load(prod()).http().tls()).isFalse();
  }

  @Test
  void metricsOnAnOpenInterfaceWithoutATokenOnlyWarn() throws Exception {
    AppConfig open = ConfigLoader.load(prod("VQ_MANAGEMENT_HOST", "0.0.0.0"));
    assertThat(ProductionChecks.warnings(open)).singleElement().satisfies(l -> assertThat(l)
        .startsWith("VQ_MANAGEMENT_HOST=0.0.0.0 without VQ_MANAGEMENT_METRICS_TOKEN_FILE"));
    Path token = Files.writeString(dir.resolve("token"), "s3cret-token-of-some-length\n");
    assertThat(ProductionChecks.warnings(ConfigLoader.load(prod("VQ_MANAGEMENT_HOST", "0.0.0.0",
        "VQ_MANAGEMENT_METRICS_TOKEN_FILE", token.toString())))).isEmpty();
    assertThat(ProductionChecks.warnings(ConfigLoader.load(prod()))).isEmpty();
    assertThat(ProductionChecks.warnings(ConfigLoader.load(prod("VQ_MANAGEMENT_HOST", "::1")))).isEmpty();
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(() -> ConfigLoader.load(prod("VQ_HTTP_PROT", "1", "VQ_HTTP_TRUSTED_PROXIES", "::/0",
        "VQ_JWT_KEYS_DIR", ".dev/jwt-keys", "VQ_HTTP_PORT", "http")))
        .isInstanceOfSatisfying(ConfigLoader.ConfigException.class, e -> assertThat(e.problems()).hasSize(4));
  }
}
