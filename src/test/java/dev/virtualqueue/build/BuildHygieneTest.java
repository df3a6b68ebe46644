package dev.virtualqueue.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the build resolves is what pom.xml declares, and the build keeps checking it. */
class BuildHygieneTest {
  private static final String POM = read("pom.xml");

  @Test
  void theJunitThatRunsIsTheDeclaredOne() throws Exception {
    Matcher declared = Pattern.compile("<junit.version>([^<]+)</junit.version>").matcher(POM);
    assertThat(declared.find()).as("pom.xml declares junit.version").isTrue();
    // vertx-junit5 asks for an older JUnit; without the junit-bom import, that one won
    assertThat(Test.class.getPackage().getImplementationVersion()).isEqualTo(declared.group(1));
    assertThat(Class.forName("org.junit.jupiter.engine.JupiterTestEngine").getPackage().getImplementationVersion())
        .isEqualTo(declared.group(1));
  }

  @Test
  void theEnforcerChecksConvergenceAndToolchainInEveryBuild() {
    assertThat(POM).contains("<artifactId>maven-enforcer-plugin</artifactId>", "<dependencyConvergence/>",
        "<requireJavaVersion><version>[17,)</version></requireJavaVersion>",
        "<requireMavenVersion><version>[3.8,)</version></requireMavenVersion>");
  }

  @Test
  void vertxConfigIsNotOnTheClassPath() {
    assertThatThrownBy(() -> Class.forName("io.vertx.config.ConfigRetriever"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
