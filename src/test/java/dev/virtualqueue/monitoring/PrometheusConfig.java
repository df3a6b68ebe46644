package dev.virtualqueue.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads monitoring/prometheus.yml and alertmanager.yml, and derives from them the configurations
 * the live tests run: same jobs, rules, routes, receivers' names and inhibitions; loopback ports
 * of the processes the test started; second-scale intervals so a test takes seconds.
 */
final class PrometheusConfig {
  private PrometheusConfig() {
  }

  @SuppressWarnings("unchecked")
  static Set<String> jobNames() {
    Set<String> out = new LinkedHashSet<>();
    for (Map<String, Object> job : (List<Map<String, Object>>) Monitoring.yaml(Monitoring.PROMETHEUS_YML).get("scrape_configs")) {
      out.add((String) job.get("job_name"));
    }
    return out;
  }

  /**
   * prometheus.yml for the live test: every job of the real file pointed at {@code targets}
   * (job name to host:port; a job without a target fails the test), 1 s scrape and evaluation,
   * the given rule files, and Alertmanager on {@code alertmanager}. Per-database Postgres series
   * of other databases on the shared test server are dropped ({@code keepDatabase}).
   */
  @SuppressWarnings("unchecked")
  static String forLiveTest(Map<String, String> targets, List<Path> ruleFiles, String alertmanager, String keepDatabase) {
    Map<String, Object> doc = Monitoring.yaml(Monitoring.PROMETHEUS_YML);
    Map<String, Object> global = (Map<String, Object>) doc.get("global");
    global.put("scrape_interval", "1s");
    global.put("scrape_timeout", "1s");
    global.put("evaluation_interval", "1s");
    doc.put("rule_files", ruleFiles.stream().map(p -> p.toAbsolutePath().toString()).toList());
    doc.put("alerting", Map.of("alertmanagers", List.of(Map.of("static_configs", List.of(Map.of("targets", List.of(alertmanager)))))));
    for (Map<String, Object> job : (List<Map<String, Object>>) doc.get("scrape_configs")) {
      String name = (String) job.get("job_name");
      String target = targets.get(name);
      if (target == null) {
        throw new IllegalStateException("prometheus.yml has job '" + name + "' that the live test does not start");
      }
      job.put("static_configs", List.of(Map.of("targets", List.of(target))));
      if (name.equals("postgres")) {
        job.put("metric_relabel_configs", List.of(Map.of("source_labels", List.of("datname"),
            "regex", "|postgres|" + keepDatabase, "action", "keep")));
      }
    }
    return dump(doc);
  }

  /** The rule files with every {@code for:} removed: on the live stack "no alert fires" then means "no alert condition holds". */
  @SuppressWarnings("unchecked")
  static List<Path> rulesWithoutFor(Path dir) {
    List<Path> out = new ArrayList<>();
    for (Path f : Monitoring.ruleFiles()) {
      Map<String, Object> doc = Monitoring.yaml(f);
      for (Map<String, Object> g : (List<Map<String, Object>>) doc.get("groups")) {
        ((List<Map<String, Object>>) g.get("rules")).forEach(r -> r.remove("for"));
      }
      out.add(write(dir.resolve(f.getFileName()), dump(doc)));
    }
    return out;
  }

  /**
   * alertmanager.yml for the live tests: routes, matchers and inhibitions as in the real file;
   * every receiver (same names) replaced by a webhook to {@code sinkUrl}; group waits and
   * intervals of one second.
   */
  @SuppressWarnings("unchecked")
  static String alertmanagerForLiveTest(String sinkUrl) {
    Map<String, Object> doc = Monitoring.yaml(Monitoring.ALERTMANAGER_YML);
    List<Map<String, Object>> receivers = new ArrayList<>();
    for (Map<String, Object> r : (List<Map<String, Object>>) doc.get("receivers")) {
      String name = (String) r.get("name");
      receivers.add(Map.of("name", name, "webhook_configs",
          List.of(Map.of("url", sinkUrl + "/" + name, "send_resolved", true))));
    }
    doc.put("receivers", receivers);
    fastRoute((Map<String, Object>) doc.get("route"));
    return dump(doc);
  }

  @SuppressWarnings("unchecked")
  private static void fastRoute(Map<String, Object> route) {
    if (route.containsKey("group_wait") || route.containsKey("receiver") && !route.containsKey("matchers")) {
      route.put("group_wait", "1s");
      route.put("group_interval", "1s");
      route.put("repeat_interval", "1h");
    }
    route.computeIfPresent("group_interval", (k, v) -> "1s");
    route.computeIfPresent("repeat_interval", (k, v) -> "1h");
    for (Map<String, Object> child : (List<Map<String, Object>>) route.getOrDefault("routes", List.of())) {
      fastRoute(child);
    }
  }

  static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String dump(Object doc) {
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    o.setWidth(4096);
    return new Yaml(o).dump(doc instanceof Map<?, ?> m ? new LinkedHashMap<>(m) : doc);
  }
}
