package dev.virtualqueue.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Prometheus alert rules of {@code monitoring/rules/*.yml}, read at run time so that a load test
 * passes or fails on the very thresholds ops are paged on. An alert's threshold is the number its
 * expression compares against ({@code ... > 0.5}, {@code ... > 14.4 * 0.001}); its quantile comes
 * from the {@code histogram_quantile(q, ...)} in the expression or in the recording rule it uses.
 */
public final class AlertRules {

  /** One alert's threshold: {@code value} in the rule's unit (seconds, or a ratio). */
  public record Threshold(String alert, String severity, String file, double value, Double quantile) {

    /** The threshold as whole milliseconds, for a latency alert whose unit is seconds. */
    public int millis() {
      return (int) Math.round(value * 1000);
    }

    /** The quantile as a Gatling percentile (0.95 → 95.0); fails for an alert without one. */
    public double percentile() {
      if (quantile == null) {
        throw new IllegalStateException("alert " + alert + " has no histogram_quantile in its expression");
      }
      return quantile * 100;
    }

    /** The threshold ratio as a Gatling percentage (0.0144 → 1.44). */
    public double percent() {
      return Math.round(value * 100 * 1e9) / 1e9;
    }
  }

  private record Rule(String expr, String severity, String file) {}

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern QUANTILE = Pattern.compile("histogram_quantile\\s*\\(\\s*([0-9.]+)");
  private static final Pattern RECORDED = Pattern.compile("^\\s*([a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_:]*)");
  private static final Pattern NUMBER = Pattern.compile("[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?");

  private final Path dir;
  private final Map<String, Rule> alerts;
  private final Map<String, String> records;

  private AlertRules(Path dir, Map<String, Rule> alerts, Map<String, String> records) {
    this.dir = dir;
    this.alerts = alerts;
    this.records = records;
  }

  /** Reads every {@code *.yml} / {@code *.yaml} rule file of {@code dir}. */
  public static AlertRules load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("no alert rules folder " + dir.toAbsolutePath()
          + " (monitoring/rules from issue 5); the load test takes its thresholds from there");
    }
    Map<String, Rule> alerts = new HashMap<>();
    Map<String, String> records = new HashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml$")).sorted().toList()) {
        for (JsonNode group : YAML.readTree(file.toFile()).path("groups")) {
          for (JsonNode rule : group.path("rules")) {
            String expr = rule.path("expr").asText();
            if (rule.hasNonNull("alert")) {
              alerts.put(rule.get("alert").asText(),
                  new Rule(expr, rule.path("labels").path("severity").asText(""), file.getFileName().toString()));
            } else if (rule.hasNonNull("record")) {
              records.putIfAbsent(rule.get("record").asText(), expr);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read alert rules in " + dir, e);
    }
    return new AlertRules(dir, alerts, records);
  }

  /** The folder named by {@code -Dvq.rulesDir}, default {@code ../monitoring/rules}. */
  public static AlertRules fromSystemProperty() {
    return load(Path.of(System.getProperty("vq.rulesDir", "../monitoring/rules")));
  }

  /** The threshold of the alert named {@code alert}; fails clearly when the rules lack it. */
  public Threshold threshold(String alert) {
    Rule rule = alerts.get(alert);
    if (rule == null) {
      throw new IllegalStateException("alert " + alert + " is not defined in " + dir.toAbsolutePath());
    }
    int op = comparison(rule.expr());
    if (op < 0) {
      throw new IllegalStateException("alert " + alert + " compares nothing: " + rule.expr());
    }
    String left = rule.expr().substring(0, op);
    return new Threshold(alert, rule.severity(), rule.file(), rightHandSide(alert, rule.expr(), op), quantile(left));
  }

  private Double quantile(String left) {
    Matcher q = QUANTILE.matcher(left);
    if (q.find()) {
      return Double.valueOf(q.group(1));
    }
    Matcher recorded = RECORDED.matcher(left);
    if (recorded.find() && records.containsKey(recorded.group(1))) {
      Matcher inner = QUANTILE.matcher(records.get(recorded.group(1)));
      return inner.find() ? Double.valueOf(inner.group(1)) : null;
    }
    return null;
  }

  /** Index of the first {@code >} (or {@code >=}) outside brackets and quotes, or -1. */
  static int comparison(String expr) {
    int depth = 0;
    char quote = 0;
    for (int i = 0; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (quote != 0) {
        quote = c == '\\' ? quote : (c == quote ? 0 : quote);
        i += c == '\\' ? 1 : 0;
      } else if (c == '"' || c == '\'' || c == '`') {
        quote = c;
      } else if (c == '(' || c == '{' || c == '[') {
        depth++;
      } else if (c == ')' || c == '}' || c == ']') {
        depth--;
      } else if (c == '>' && depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /** Evaluates the number after the operator: a product or quotient of literals, up to "and"/"or"/"unless". */
  private static double rightHandSide(String alert, String expr, int op) {
    String rest = expr.substring(op + 1).replaceFirst("^=", "").replaceFirst("^\\s*bool\\b", "");
    String term = rest.split("\\b(and|or|unless)\\b|\\n")[0].trim();
    if (!term.matches("[0-9.eE+\\-*/\\s()]+")) {
      throw new IllegalStateException("alert " + alert + " does not compare against a number: " + term);
    }
    List<String> tokens = new ArrayList<>();
    Matcher m = Pattern.compile("[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|[*/]").matcher(term.replaceAll("[()]", ""));
    while (m.find()) {
      tokens.add(m.group());
    }
    double value = Double.parseDouble(tokens.get(0));
    for (int i = 1; i + 1 < tokens.size(); i += 2) {
      double next = Double.parseDouble(tokens.get(i + 1));
      value = tokens.get(i).equals("*") ? value * next : value / next;
    }
    if (!NUMBER.matcher(tokens.get(0)).matches()) {
      throw new IllegalStateException("alert " + alert + " threshold is not a number: " + term);
    }
    return value;
  }
}
