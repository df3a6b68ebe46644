package dev.virtualqueue.monitoring;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The alert cases of monitoring/tests/*.test.yml, read the way promtool reads them. */
final class RuleTestCases {
  private static final Pattern DURATION_PART = Pattern.compile("([0-9]+)(ms|s|m|h|d|w|y)");

  private RuleTestCases() {
  }

  /**
   * One {@code alert_rule_test} entry: where it is, when it is evaluated, and the severities of
   * the alerts it expects. It is a quiet case for every other severity of its alert.
   */
  record AlertCase(Path file, String group, String alertname, long evalSeconds, long evaluationIntervalSeconds,
                   Set<String> expectedSeverities) {
    boolean quietFor(String severity) {
      return !expectedSeverities.contains(severity);
    }
  }

  @SuppressWarnings("unchecked")
  static List<AlertCase> all() {
    List<AlertCase> out = new ArrayList<>();
    for (Path f : Monitoring.ruleTestFiles()) {
      Map<String, Object> doc = Monitoring.yaml(f);
      long evaluation = seconds(String.valueOf(doc.getOrDefault("evaluation_interval", "1m")));
      for (Map<String, Object> t : (List<Map<String, Object>>) doc.get("tests")) {
        for (Map<String, Object> c : (List<Map<String, Object>>) t.getOrDefault("alert_rule_test", List.of())) {
          Set<String> severities = new HashSet<>();
          for (Map<String, Object> a : (List<Map<String, Object>>) c.getOrDefault("exp_alerts", List.of())) {
            severities.add(String.valueOf(((Map<String, Object>) a.getOrDefault("exp_labels", Map.of())).get("severity")));
          }
          out.add(new AlertCase(f, (String) t.get("name"), (String) c.get("alertname"),
              seconds(String.valueOf(c.get("eval_time"))), evaluation, severities));
        }
      }
    }
    return out;
  }

  /** Seconds of a Prometheus duration such as {@code 90s}, {@code 15m} or {@code 1h20m}. */
  static long seconds(String duration) {
    Matcher m = DURATION_PART.matcher(duration.trim());
    long total = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw new IllegalArgumentException("not a duration: " + duration);
      }
      long n = Long.parseLong(m.group(1));
      total += switch (m.group(2)) {
        case "ms" -> n / 1000;
        case "s" -> n;
        case "m" -> n * 60;
        case "h" -> n * 3600;
        case "d" -> n * 86_400;
        case "w" -> n * 604_800;
        default -> n * 31_536_000;
      };
      end = m.end();
    }
    if (end == 0 || end != duration.trim().length()) {
      throw new IllegalArgumentException("not a duration: " + duration);
    }
    return total;
  }
}
