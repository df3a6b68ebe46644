package dev.virtualqueue.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.monitoring.RuleTestCases.AlertCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A quiet case must sit just under its alert's threshold for the whole {@code for:} window, or it
 * proves nothing about the threshold. So: in a copy of the rules, move every alert threshold 25 %
 * toward firing ({@link Thresholds}); then run the unchanged promtool tests against that copy.
 * For every alert (and severity) that has a threshold to move, at least one of its quiet cases
 * must now fail because that alert fires.
 */
class QuietCaseMutationIT {
  static final double MOVE = 0.25;
  private static final Pattern GROUP = Pattern.compile("^\\s*name: (.*),\\s*$");
  private static final Pattern CASE = Pattern.compile("^\\s*alertname: (\\S+), time: (\\S+),\\s*$");
  private static final Pattern SEVERITY = Pattern.compile("severity=\"([a-z]+)\"");

  /** A failed alert case as promtool reports it: where, and the severities that fired. */
  record Failure(Path file, String group, String alertname, long evalSeconds, Set<String> gotSeverities) {
  }

  @Test
  void everyQuietCaseFiresWhenItsThresholdMovesAQuarterTowardItsInput() throws Exception {
    Path dir = Path.of("target", "quiet-case-mutation", UUID.randomUUID().toString().substring(0, 8));
    Set<String> movable = writeLoosenedRules(dir.resolve("rules"));
    assertThat(movable).as("alerts with a threshold to move").hasSizeGreaterThan(80);
    List<Path> tests = copyTests(dir.resolve("tests"));
    List<String> check = new ArrayList<>(List.of("promtool", "check", "rules"));
    Files.list(dir.resolve("rules")).sorted().forEach(p -> check.add(p.toString()));
    Tools.Result checked = Tools.run(check, 60);
    assertThat(checked.ok()).as("the loosened rules load: %s", checked.output()).isTrue();

    List<Failure> failures = runAll(tests);
    Set<String> survivors = new TreeSet<>();
    for (String id : movable) {
      String name = id.substring(0, id.indexOf('/'));
      String severity = id.substring(id.indexOf('/') + 1);
      List<AlertCase> quiet = RuleTestCases.all().stream()
          .filter(c -> c.alertname().equals(name) && c.quietFor(severity)).toList();
      boolean caught = quiet.stream().anyMatch(c -> failures.stream().anyMatch(f -> f.alertname().equals(name)
          && f.file().getFileName().equals(c.file().getFileName()) && f.group().equals(c.group())
          && f.evalSeconds() == c.evalSeconds() && f.gotSeverities().contains(severity)));
      if (!caught) {
        survivors.add(id + " " + quiet.stream().map(c -> c.file().getFileName() + " '" + c.group() + "' at "
            + c.evalSeconds() / 60 + "m").toList());
      }
    }
    assertThat(survivors).as("alerts whose every quiet case still passes with the thresholds moved %d %% toward firing"
        + " (the quiet input must stay just under the threshold until `for:` has elapsed)", (int) (MOVE * 100)).isEmpty();
  }

  /** Writes the rule files with every alert loosened; returns the ids (name/severity) that moved. */
  @SuppressWarnings("unchecked")
  private static Set<String> writeLoosenedRules(Path dir) {
    Set<String> moved = new HashSet<>();
    for (Path f : Monitoring.ruleFiles()) {
      Map<String, Object> doc = Monitoring.yaml(f);
      for (Map<String, Object> g : (List<Map<String, Object>>) doc.get("groups")) {
        for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
          if (r.get("alert") == null) {
            continue;
          }
          Thresholds.Loosened l = Thresholds.loosen(String.valueOf(r.get("expr")), MOVE);
          r.put("expr", l.expr());
          if (l.moved() > 0) {
            moved.add(r.get("alert") + "/" + ((Map<String, Object>) r.get("labels")).get("severity"));
          }
        }
      }
      DumperOptions o = new DumperOptions();
      o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
      o.setWidth(4096);
      PrometheusConfig.write(dir.resolve(f.getFileName()), new Yaml(o).dump(new LinkedHashMap<>(doc)));
    }
    return moved;
  }

  private static List<Path> copyTests(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> out = new ArrayList<>();
    for (Path f : Monitoring.ruleTestFiles()) {
      out.add(Files.copy(f, dir.resolve(f.getFileName())));
    }
    return out;
  }

  private static List<Failure> runAll(List<Path> tests) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<List<Failure>>> runs = new ArrayList<>();
      for (Path t : tests) {
        runs.add(pool.submit(() -> failures(t, Tools.run(List.of("promtool", "test", "rules", t.toString()), 300).output())));
      }
      List<Failure> out = new ArrayList<>();
      for (Future<List<Failure>> r : runs) {
        out.addAll(r.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The failed alert cases of one promtool run (its report: "name: group," then "alertname: X, time: T," blocks). */
  static List<Failure> failures(Path file, String output) {
    List<Failure> out = new ArrayList<>();
    String group = null;
    String[] open = null;
    StringBuilder got = new StringBuilder();
    for (String line : (output + "\nalertname: END, time: 0s,").split("\n")) {
      Matcher g = GROUP.matcher(line);
      Matcher c = CASE.matcher(line);
      if (c.matches() || g.matches()) {
        if (open != null) {
          out.add(failure(file, open, got.toString()));
          open = null;
        }
        if (g.matches()) {
          group = g.group(1);
        } else {
          open = new String[] {group, c.group(1), c.group(2)};
          got.setLength(0);
        }
      } else if (open != null) {
        got.append(line).append('\n');
      }
    }
    return out;
  }

  private static Failure failure(Path file, String[] open, String block) {
    Set<String> severities = new HashSet<>();
    int gotAt = block.indexOf("got:");
    Matcher m = SEVERITY.matcher(gotAt < 0 ? "" : block.substring(gotAt));
    while (m.find()) {
      severities.add(m.group(1));
    }
    return new Failure(file, open[0], open[1], RuleTestCases.seconds(open[2]), severities);
  }
}
