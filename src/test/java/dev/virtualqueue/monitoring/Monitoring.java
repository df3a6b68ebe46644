package dev.virtualqueue.monitoring;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/** The monitoring-as-code files of monitoring/ and what the tests need to know about them. */
final class Monitoring {
  static final Path DIR = Path.of("monitoring");
  static final Path RULES = DIR.resolve("rules");
  static final Path TESTS = DIR.resolve("tests");
  static final Path DASHBOARDS = DIR.resolve("grafana/dashboards");
  static final Path PROMETHEUS_YML = DIR.resolve("prometheus.yml");
  static final Path ALERTMANAGER_YML = DIR.resolve("alertmanager.yml");
  static final Path RUNBOOKS = Path.of("docs/runbooks");
  static final String RUNBOOK_BASE = "https://git.example.com/virtual-queue/-/blob/main/docs/runbooks/";

  private Monitoring() {
  }

  /** One rule of a rule file: an alert (name) or a recording rule (record). */
  record Rule(Path file, String group, String alert, String record, String expr, String forDuration,
              Map<String, String> labels, Map<String, String> annotations) {
    boolean isAlert() {
      return alert != null;
    }

    String severity() {
      return labels.get("severity");
    }

    String id() {
      return isAlert() ? alert + "/" + severity() : record;
    }
  }

  /** A dashboard panel target. */
  record PanelQuery(String dashboard, String panel, String unit, String expr) {
  }

  static List<Path> ruleFiles() {
    return list(RULES, ".yml");
  }

  static List<Path> ruleTestFiles() {
    return list(TESTS, ".test.yml");
  }

  static List<Path> dashboardFiles() {
    return list(DASHBOARDS, ".json");
  }

  @SuppressWarnings("unchecked")
  static List<Rule> rules() {
    List<Rule> out = new ArrayList<>();
    for (Path f : ruleFiles()) {
      Map<String, Object> doc = yaml(f);
      for (Map<String, Object> g : (List<Map<String, Object>>) doc.get("groups")) {
        for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
          out.add(new Rule(f, (String) g.get("name"), (String) r.get("alert"), (String) r.get("record"),
              String.valueOf(r.get("expr")), r.get("for") == null ? null : String.valueOf(r.get("for")),
              strings((Map<String, Object>) r.get("labels")), strings((Map<String, Object>) r.get("annotations"))));
        }
      }
    }
    return out;
  }

  static List<Rule> alerts() {
    return rules().stream().filter(Rule::isAlert).toList();
  }

  static List<PanelQuery> panelQueries() {
    List<PanelQuery> out = new ArrayList<>();
    for (Path f : dashboardFiles()) {
      JsonObject d = json(f);
      for (JsonObject p : panels(d)) {
        String unit = p.getJsonObject("fieldConfig", new JsonObject()).getJsonObject("defaults", new JsonObject())
            .getString("unit");
        for (Object t : p.getJsonArray("targets", new JsonArray())) {
          out.add(new PanelQuery(d.getString("title"), p.getString("title"), unit, ((JsonObject) t).getString("expr")));
        }
      }
    }
    return out;
  }

  /** Every panel of a dashboard, rows' nested panels included. */
  static List<JsonObject> panels(JsonObject dashboard) {
    List<JsonObject> out = new ArrayList<>();
    for (Object o : dashboard.getJsonArray("panels")) {
      JsonObject p = (JsonObject) o;
      out.add(p);
      p.getJsonArray("panels", new JsonArray()).forEach(n -> out.add((JsonObject) n));
    }
    return out;
  }

  static Map<String, Object> yaml(Path f) {
    try {
      return new Yaml().load(Files.readString(f));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonObject json(Path f) {
    try {
      return new JsonObject(Files.readString(f));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> strings(Map<String, Object> m) {
    Map<String, String> out = new LinkedHashMap<>();
    if (m != null) {
      m.forEach((k, v) -> out.put(k, String.valueOf(v)));
    }
    return out;
  }

  private static List<Path> list(Path dir, String suffix) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
