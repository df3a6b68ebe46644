package dev.virtualqueue.monitoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The golden file of the server's exported meters: one line per metric name with its label keys,
 * {@code name{key1,key2}}. A line starting with {@code ?} is a meter that appears only once its
 * event happened (its label keys are still checked when it is there).
 */
final class MetricsGolden {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");

  private MetricsGolden() {
  }

  /** Metric name to the union of its label keys, from Prometheus text exposition. */
  static Map<String, Set<String>> parse(String exposition) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (String line : exposition.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (line.startsWith("#") || !m.find()) {
        continue;
      }
      Set<String> keys = out.computeIfAbsent(m.group(1), k -> new TreeSet<>());
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          keys.add(l.group(1));
        }
      }
    }
    return out;
  }

  static String format(Map<String, Set<String>> metrics) {
    StringBuilder sb = new StringBuilder();
    metrics.forEach((name, keys) -> sb.append(line(name, keys)).append('\n'));
    return sb.toString();
  }

  private static String line(String name, Set<String> keys) {
    return name + "{" + String.join(",", keys) + "}";
  }

  record Expected(Set<String> keys, boolean optional) {
  }

  static Map<String, Expected> read(Path file) throws IOException {
    Map<String, Expected> out = new TreeMap<>();
    for (String raw : Files.readAllLines(file)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean optional = line.startsWith("?");
      String spec = optional ? line.substring(1).strip() : line;
      int brace = spec.indexOf('{');
      String keys = spec.substring(brace + 1, spec.length() - 1);
      out.put(spec.substring(0, brace), new Expected(keys.isEmpty() ? Set.of() : new TreeSet<>(List.of(keys.split(","))), optional));
    }
    return out;
  }

  /** Differences between the golden file and what the server exported, one line each. */
  static List<String> compare(Map<String, Expected> golden, Map<String, Set<String>> actual) {
    List<String> problems = new ArrayList<>();
    actual.forEach((name, keys) -> {
      Expected e = golden.get(name);
      if (e == null) {
        problems.add("new, not in the golden file: " + line(name, keys));
      } else if (!e.keys().equals(keys)) {
        problems.add("label keys changed: " + line(name, e.keys()) + " -> " + line(name, keys));
      }
    });
    golden.forEach((name, e) -> {
      if (!e.optional() && !actual.containsKey(name)) {
        problems.add("missing from the server: " + line(name, e.keys()));
      }
    });
    return problems;
  }
}
