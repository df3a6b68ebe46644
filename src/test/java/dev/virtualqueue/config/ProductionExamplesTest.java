package dev.virtualqueue.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.impl.RedisURI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production examples stay complete and true: every setting ({@link ConfigKeys}) is in
 * {@code conf/production.example.json} and, with a line of documentation, in
 * {@code conf/production.env.example}; both load as production configurations; secrets are only
 * ever file paths. A new setting without its documentation fails here.
 */
class ProductionExamplesTest {
  private static final Path JSON = Path.of("conf/production.example.json");
  private static final Path ENV = Path.of("conf/production.env.example");
  private static final Pattern ASSIGNMENT = Pattern.compile("^#?(VQ_[A-Z0-9_]+)=(.*)$");

  @TempDir
  Path dir;

  private static Map<String, Object> json(Path file) throws Exception {
    return new ObjectMapper().readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
  }

  @Test
  void theDefaultFileHoldsEverySettingThatHasNoBuiltInDefault() throws Exception {
    List<String> missing = new ArrayList<>(ConfigKeys.ALL);
    missing.removeAll(json(Path.of("conf/virtual-queue.json")).keySet());
    assertThat(missing).as("settings not in conf/virtual-queue.json").allMatch(ConfigKeys.OPTIONAL::contains);
  }

  @Test
  void theJsonExampleHoldsEverySettingAndNoSecretValue() throws Exception {
    Map<String, Object> example = json(JSON);
    assertThat(example.keySet()).containsExactlyInAnyOrderElementsOf(ConfigKeys.ALL);
    assertThat(example.get("profile")).isEqualTo("prod");
    assertThat(example.keySet().stream().filter(k -> k.toLowerCase(Locale.ROOT).matches(".*(password|token|secret).*")))
        .as("secrets are file paths").isNotEmpty().allMatch(k -> k.endsWith("File"));
    assertThat(example.get("pg.url").toString()).doesNotContain(":@").matches("postgresql://[^:]+@[^@]+");
    assertThat(example.get("redis.url").toString()).doesNotContain("@");
  }

  @Test
  void theEnvExampleDocumentsEverySettingWithAComment() throws Exception {
    List<String> lines = Files.readAllLines(ENV);
    Map<String, String> documented = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = ASSIGNMENT.matcher(lines.get(i));
      if (m.matches()) {
        int doc = i - 1;
        while (doc >= 0 && ASSIGNMENT.matcher(lines.get(doc)).matches()) {
          doc--; // a group of related variables shares the comment above it
        }
        assertThat(doc >= 0 && lines.get(doc).startsWith("# ")).as("a comment above %s", m.group(1)).isTrue();
        documented.put(m.group(1), m.group(2));
      }
    }
    List<String> names = ConfigKeys.ALL.stream().map(ConfigKeys::envName).toList();
    assertThat(documented.keySet()).containsAll(names);
    assertThat(documented.keySet()).as("only real variables").allMatch(v -> names.contains(v) || EnvironmentCheck.known(v));
    assertThat(documented.keySet().stream().filter(v -> v.matches(".*(PASSWORD|TOKEN|SECRET).*")))
        .as("secrets are file paths").isNotEmpty().allMatch(v -> v.endsWith("_FILE"));
  }

  @Test
  void theJsonExampleLoadsAsAProductionConfiguration() throws Exception {
    Map<String, String> env = secretFiles(Map.of("VQ_CONFIG", JSON.toString()));
    AppConfig c = ConfigLoader.load(env);
    assertThat(c.dev()).isFalse();
    assertThat(c.mail().enabled()).isTrue();
    assertThat(c.management().metricsProtected()).isTrue();
    assertThat(c.rateLimit().trustedProxies()).containsExactly("10.0.0.10", "10.0.0.11");
    assertThat(ProductionChecks.warnings(c)).isEmpty();
    // the database password comes from its file, into the URL as the Postgres client reads it
    PgConnectOptions pg = PgConnectOptions.fromUri(c.pg().url().toString());
    assertThat(pg.getUser()).isEqualTo("virtualqueue");
    assertThat(pg.getPassword()).isEqualTo("pg pa:ss@w/rd%");
    assertThat(pg.getHost()).isEqualTo("db.internal");
    RedisURI redis = new RedisURI(c.redis().url()); // what the Redis client connects with
    assertThat(redis.password()).isEqualTo("r3d!s pw");
    assertThat(redis.user()).isNull();
    assertThat(redis.socketAddress().host()).isEqualTo("redis.internal");
    assertThat(redis.select()).isZero();
  }

  @Test
  void theEnvExampleOverTheDefaultFileLoadsAsAProductionConfiguration() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("VQ_CONFIG", "conf/virtual-queue.json"));
    for (String line : Files.readAllLines(ENV)) {
      Matcher m = ASSIGNMENT.matcher(line);
      if (m.matches() && !line.startsWith("#")) {
        env.put(m.group(1), m.group(2).replaceAll("^\"(.*)\"$", "$1"));
      }
    }
    AppConfig c = ConfigLoader.load(secretFiles(env));
    assertThat(c.dev()).isFalse();
    assertThat(c.mail().from()).isEqualTo("Front desk <queue@example.org>");
    assertThat(c.http().publicUrl()).isEqualTo("https://queue.example.org");
  }

  /** The examples' secret files, made here: the loader reads the password files at start. */
  private Map<String, String> secretFiles(Map<String, String> base) throws Exception {
    Map<String, String> env = new HashMap<>(base);
    env.put("VQ_PG_PASSWORD_FILE", Files.writeString(dir.resolve("pg"), "pg pa:ss@w/rd%\n").toString());
    env.put("VQ_REDIS_PASSWORD_FILE", Files.writeString(dir.resolve("redis"), "r3d!s pw\n").toString());
    env.put("VQ_MANAGEMENT_METRICS_TOKEN_FILE", Files.writeString(dir.resolve("token"), "t0ken\n").toString());
    env.put("VQ_JWT_KEYS_DIR", dir.resolve("jwt-keys").toString());
    env.put("VQ_SECRETS_KEY_FILE", dir.resolve("secrets.key").toString());
    return env;
  }
}
