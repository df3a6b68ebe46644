package dev.virtualqueue.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** README.md stays true: CI runs exactly the README's test command, and the run command exists. */
class ReadmeCommandsTest {

  private static String block(String readme, String heading) {
    Matcher m = Pattern.compile("\\n## " + heading + "\\n[^#]*?```sh\\n(.*?)\\n```", Pattern.DOTALL).matcher(readme);
    assertThat(m.find()).as("README has a ```sh block in its '## %s' section", heading).isTrue();
    return m.group(1).trim();
  }

  @Test
  void ciRunsExactlyTheReadmeTestCommand() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    String test = block(readme, "Test");
    assertThat(test.lines().count()).as("one test command").isEqualTo(1);
    List<String> ci = Files.readAllLines(Path.of(".ci/run")).stream().map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    assertThat(ci.get(ci.size() - 1)).isEqualTo(test);
  }

  @Test
  void runCommandIsOneExecutableScript() throws Exception {
    String run = block(Files.readString(Path.of("README.md")), "Run");
    assertThat(run.lines().count()).isEqualTo(1);
    assertThat(Files.isExecutable(Path.of(run.split(" ")[0]))).isTrue();
  }
}
