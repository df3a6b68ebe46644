package dev.virtualqueue.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker/Dockerfile keeps its promises without a Docker engine to build it: pinned base images, a
 * non-root user, a health check on the management port, no secret baked in, container-aware JVM
 * flags, OCI labels, and a build context (.dockerignore) that holds what it copies and no more.
 */
class DockerfileTest {
  static final Path DOCKERFILE = Path.of("docker/Dockerfile");
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|PRIVATE|CREDENTIAL|_KEY$).*");
  private static List<String> instructions;
  private static Map<String, String> args;

  @BeforeAll
  static void read() throws Exception {
    instructions = joinContinuations(Files.readAllLines(DOCKERFILE));
    args = new HashMap<>();
    for (String i : instructions) {
      Matcher m = Pattern.compile("ARG (\\w+)=(\\S+)").matcher(i);
      if (m.matches()) {
        args.put(m.group(1), m.group(2));
      }
    }
  }

  /** Instructions with their backslash continuations joined, comments and blank lines dropped. */
  static List<String> joinContinuations(List<String> lines) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      String t = line.trim();
      if (current.length() == 0 && (t.isEmpty() || t.startsWith("#"))) {
        continue;
      }
      if (t.endsWith("\\")) {
        current.append(t, 0, t.length() - 1).append(' ');
      } else {
        out.add(current.append(t).toString().replaceAll("\\s+", " "));
        current.setLength(0);
      }
    }
    return out;
  }

  private static List<String> all(String keyword) {
    return instructions.stream().filter(i -> i.startsWith(keyword + " ")).toList();
  }

  @Test
  void baseImagesArePinnedToAVersionTag() {
    List<String> froms = all("FROM");
    assertThat(froms).as("a build stage and a run stage").hasSizeGreaterThanOrEqualTo(2);
    assertThat(froms.get(0)).contains(" AS build");
    for (String from : froms) {
      String image = from.split(" ")[1];
      Matcher arg = Pattern.compile("\\$\\{(\\w+)}").matcher(image);
      if (arg.matches()) {
        image = args.get(arg.group(1));
        assertThat(image).as("ARG %s has a default", arg.group(1)).isNotNull();
      }
      assertThat(image).as(from).contains(":").doesNotEndWith(":latest");
      String tag = image.substring(image.lastIndexOf(':') + 1);
      assertThat(tag).as("the tag of %s names a version (digits and dots)", image).matches(".*\\d+\\.\\d+.*");
    }
  }

  @Test
  void runsAsANonRootUser() {
    List<String> users = all("USER");
    assertThat(users).isNotEmpty();
    String last = users.get(users.size() - 1).substring(5).trim();
    String user = last.split(":")[0];
    assertThat(user).isNotIn("root", "0");
    assertThat(user).as("a fixed uid, so volumes and runAsUser agree").matches("\\d+").isNotEqualTo("0");
    int userAt = instructions.indexOf(users.get(users.size() - 1));
    assertThat(instructions.subList(userAt, instructions.size())).noneMatch(i -> i.startsWith("RUN "));
  }

  @Test
  void healthCheckAsksTheManagementPort() {
    List<String> checks = all("HEALTHCHECK");
    assertThat(checks).hasSize(1);
    assertThat(checks.get(0)).containsPattern("/health/(ready|live)").contains("8081").contains("--interval=")
        .contains("--timeout=");
    assertThat(instructions).anyMatch(i -> i.startsWith("ENV ") && i.contains("VQ_MANAGEMENT_HOST=0.0.0.0"));
    assertThat(instructions).anyMatch(i -> i.startsWith("ENV ") && i.contains("VQ_HTTP_HOST=0.0.0.0"));
  }

  @Test
  void bakesNoSecretIn() {
    for (String i : all("ENV")) {
      Matcher m = Pattern.compile("(\\w+)=").matcher(i.substring(4));
      while (m.find()) {
        String name = m.group(1);
        if (SECRET_NAME.matcher(name).matches()) {
          assertThat(name).as("%s in the image: only a file path (_FILE/_DIR) may be set", name)
              .matches(".*_(FILE|DIR)$");
        }
      }
    }
    args.keySet().forEach(name -> assertThat(name).doesNotMatch(SECRET_NAME));
    assertThat(String.join("\n", instructions)).doesNotContainPattern("(?i)BEGIN [A-Z ]*PRIVATE KEY")
        .doesNotContain("demo-password");
    assertThat(all("COPY")).noneMatch(c -> c.contains("secrets") || c.contains(".dev") || c.contains("jwt-keys/"));
  }

  @Test
  void jvmIsSizedByTheContainerAndPid1IsTheServer() {
    assertThat(String.join("\n", all("ENV"))).contains("-XX:MaxRAMPercentage=").contains("-XX:+ExitOnOutOfMemoryError");
    List<String> entry = all("ENTRYPOINT");
    assertThat(entry).hasSize(1);
    assertThat(entry.get(0)).as("exec form: the signal reaches the process")
        .isEqualTo("ENTRYPOINT [\"java\", \"-jar\", \"/opt/virtual-queue/virtual-queue.jar\"]");
    assertThat(all("STOPSIGNAL")).containsExactly("STOPSIGNAL SIGTERM");
    assertThat(all("EXPOSE")).anyMatch(e -> e.contains("8080"));
  }

  @Test
  void jarAndConfLiveInTheUsualPlaces() {
    assertThat(all("COPY"))
        .anyMatch(c -> c.contains("--from=build") && c.endsWith("/opt/virtual-queue/virtual-queue.jar"))
        .anyMatch(c -> c.endsWith("conf/virtual-queue.json /opt/virtual-queue/conf/virtual-queue.json"));
    assertThat(all("ENV")).anyMatch(e -> e.contains("VQ_CONFIG=/opt/virtual-queue/conf/virtual-queue.json"));
  }

  @Test
  void carriesOciLabels() {
    String labels = String.join(" ", all("LABEL"));
    for (String key : List.of("title", "description", "version", "revision", "source", "licenses")) {
      assertThat(labels).contains("org.opencontainers.image." + key + "=");
    }
  }

  /** The context holds every file the build copies, and nothing else by default. */
  @Test
  void dockerIgnoreLetsInWhatTheBuildCopiesOnly() throws Exception {
    List<String> ignore = Files.readAllLines(Path.of(".dockerignore")).stream().map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    assertThat(ignore.get(0)).as("everything is out unless let in").isEqualTo("**");
    List<String> allowed = ignore.stream().filter(l -> l.startsWith("!")).map(l -> l.substring(1)).toList();
    assertThat(allowed).noneMatch(a -> a.contains("secret") || a.contains(".dev") || a.contains("target")
        || a.contains("jwt-keys"));
    for (String copy : all("COPY")) {
      if (copy.contains("--from=")) {
        continue;
      }
      String[] parts = copy.replaceAll("--\\S+ ", "").split(" ");
      for (int k = 1; k < parts.length - 1; k++) {
        String source = parts[k].replaceAll("^\\./", "").replaceAll("/$", "");
        assertThat(Files.exists(Path.of(source))).as("%s exists", source).isTrue();
        assertThat(allowed).as("the context lets in %s", source)
            .anyMatch(a -> source.equals(a) || source.startsWith(a + "/") || a.startsWith(source + "/"));
      }
    }
  }
}
