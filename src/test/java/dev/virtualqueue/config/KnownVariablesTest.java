package dev.virtualqueue.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code VQ_} variable that anything in the repository reads or documents (scripts, the launcher,
 * logback, the monitoring set-up, compose and Kubernetes files, docs, tests) is known to the start-up
 * check: a setting, or listed in {@link EnvironmentCheck}. Otherwise a production start with that
 * variable exported would be refused as a typo.
 */
class KnownVariablesTest {
  /** A name; one followed by {@code _*}, {@code _<}, {@code *} or {@code <} is a family's prefix, not a name. */
  private static final Pattern NAME = Pattern.compile("\\bVQ_[A-Z0-9_]*[A-Z0-9](?![A-Z0-9_]*[*<])\\b");
  private static final List<String> ROOTS = List.of("src/main", "src/test", "scripts", "conf", "docs", "monitoring",
      "loadtest/src", "deploy", "docker", ".ci", "README.md");
  /** The mistyped variable the docs show as an example of the refusal. */
  private static final Set<String> TYPO_EXAMPLES = Set.of("VQ_HTTP_PROT");
  /** This test's own package names mistyped variables on purpose. */
  private static final Path OWN_TESTS = Path.of("src/test/java/dev/virtualqueue/config");

  @Test
  void everyVariableInTheRepositoryIsKnown() throws IOException {
    Set<String> settings = new TreeSet<>();
    ConfigKeys.ALL.forEach(k -> settings.add(ConfigKeys.envName(k)));
    Map<String, Path> unknown = new TreeMap<>();
    int files = 0;
    for (String root : ROOTS) {
      if (!Files.exists(Path.of(root))) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(Path.of(root))) {
        for (Path file : walk.filter(Files::isRegularFile).filter(p -> !p.startsWith(OWN_TESTS)).toList()) {
          files++;
          Matcher m = NAME.matcher(text(file));
          while (m.find()) {
            String v = m.group();
            if (!settings.contains(v) && !EnvironmentCheck.known(v) && !TYPO_EXAMPLES.contains(v)) {
              unknown.putIfAbsent(v, file);
            }
          }
        }
      }
    }
    assertThat(files).as("files scanned").isGreaterThan(200);
    assertThat(unknown).as("VQ_ variables read somewhere but unknown to config/EnvironmentCheck (add them there)")
        .isEmpty();
  }

  @Test
  void familyPrefixesAreNotNames() {
    Matcher m = NAME.matcher("VQ_BENCH_* and VQ_RATE_LIMIT_<NAME>_BURST, but VQ_HTTP_PORT.");
    assertThat(m.find()).isTrue();
    assertThat(m.group()).isEqualTo("VQ_HTTP_PORT");
    assertThat(m.find()).isFalse();
  }

  private static String text(Path file) throws IOException {
    try {
      return Files.readString(file);
    } catch (MalformedInputException e) {
      return ""; // images and other binary files
    }
  }
}
