package dev.virtualqueue.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Finds {@code VQ_*} environment variables that nothing reads: a mistyped setting (a port variable
 * missing a letter) would otherwise be ignored without a word. A variable is known when it
 * overrides a setting ({@link ConfigKeys}) or is one that the launcher, the logging configuration, the
 * scripts or the tests read ({@link #READ_ELSEWHERE}, {@link #FAMILIES}); {@code KnownVariablesTest}
 * scans the repository for every {@code VQ_} name so a new script variable cannot be forgotten here.
 */
final class EnvironmentCheck {
  /** Read by something other than the config loader; an operator's shell may well export them. */
  static final Set<String> READ_ELSEWHERE = Set.of(
      // the launcher and logback.xml
      "VQ_CONFIG", "VQ_DEV_HOME", "VQ_LOG_LEVEL",
      // scripts/setup-monitoring.sh and the monitoring compose file
      "VQ_SLACK_WEBHOOK_URL", "VQ_SMTP_PASSWORD", "VQ_PAGER_TOKEN", "VQ_DEADMAN_TOKEN", "VQ_PG_EXPORTER_PASSWORD",
      "VQ_PG_EXPORTER_USER", "VQ_PG_EXPORTER_URI", "VQ_REDIS_ADDR", "VQ_REDIS_EXPORTER_ADDR",
      "VQ_ALERTMANAGER_SECRETS", "VQ_GRAFANA_ADMIN_PASSWORD",
      // docs/examples/verify-token.mjs, docs/protected-site.md, scripts/bench/read.lua
      "VQ_ISSUER", "VQ_AUDIENCE", "VQ_JWKS_URL", "VQ_API_KEY", "VQ_TICKET_ID", "VQ_TICKET_TOKEN",
      // scripts/check-admission-cap.sh, ApiFuzzIT
      "VQ_CAP", "VQ_FUZZ_SEED",
      // scripts/restore.sh and the backup tests: which jar runs the checks, where pg_restore lives
      "VQ_JAR", "VQ_PG_BIN");

  /**
   * Prefixes of variable families that tests, benchmarks, load tests and the backup scripts read
   * ({@code scripts/backup.sh}, {@code restore.sh}, {@code measure-rto.sh}; their env file is
   * deploy/virtual-queue-backup.env.example).
   */
  static final List<String> FAMILIES = List.of("VQ_TEST_", "VQ_BENCH_", "VQ_LOADTEST_", "VQ_CAP_", "VQ_BACKUP_",
      "VQ_RESTORE_", "VQ_RTO_");

  private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

  private EnvironmentCheck() {
  }

  /** One line per {@code VQ_*} variable of {@code env} that no setting or tool reads, naming the nearest known one. */
  static List<String> unknown(Map<String, String> env) {
    Set<String> settings = new TreeSet<>();
    ConfigKeys.ALL.forEach(k -> settings.add(ConfigKeys.envName(k)));
    List<String> lines = new ArrayList<>();
    new TreeSet<>(env.keySet()).stream().filter(v -> v.startsWith("VQ_"))
        .filter(v -> !settings.contains(v) && !known(v))
        .forEach(v -> lines.add(v + " is not a setting (no such variable is read): " + hint(v, settings)));
    return lines;
  }

  static boolean known(String variable) {
    return READ_ELSEWHERE.contains(variable) || FAMILIES.stream().anyMatch(variable::startsWith);
  }

  /** The candidate fewest edits away from {@code name} (ties: the first in alphabetical order). */
  static String nearest(String name, Collection<String> candidates) {
    return candidates.stream()
        .min(Comparator.comparingInt((String c) -> DISTANCE.apply(name, c)).thenComparing(c -> c)).orElseThrow();
  }

  private static String hint(String variable, Set<String> settings) {
    List<String> candidates = new ArrayList<>(settings);
    candidates.addAll(READ_ELSEWHERE);
    String nearest = nearest(variable, candidates);
    int distance = DISTANCE.apply(variable, nearest);
    return distance <= Math.max(3, variable.length() / 4) ? "did you mean " + nearest + "?"
        : "the nearest is " + nearest + "; every setting is listed in conf/production.env.example";
  }
}
