package dev.virtualqueue.db;

import dev.virtualqueue.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs scripts/backup.sh, restore.sh and friends as an operator would: a process, its exit and output. */
final class BackupScripts {
  private BackupScripts() {
  }

  record Result(int exit, String output) {
    boolean ok() {
      return exit == 0;
    }
  }

  static Result run(List<String> command) {
    return run(command, Map.of(), "");
  }

  /** Runs {@code command} from the repository root with extra environment and stdin; 120 s at most. */
  static Result run(List<String> command, Map<String, String> env, String stdin) {
    try {
      ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
      b.environment().putAll(env);
      Process p = b.start();
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + command);
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The one backup file (not its .sha256 or .json) in {@code dir}. */
  static Path onlyBackup(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      List<Path> dumps = files.filter(f -> f.getFileName().toString().matches("vq-.*\\.dump(\\.age|\\.gpg)?")).toList();
      if (dumps.size() != 1) {
        throw new IllegalStateException("expected one backup in " + dir + ": " + dumps);
      }
      return dumps.get(0);
    }
  }

  /** The value of the sample {@code name{...}} in a textfile-collector file. */
  static double metric(Path file, String name) throws IOException {
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new IllegalStateException(name + " not in " + file);
  }

  /** scripts/restore.sh of {@code backup} into the new database {@code target} on the server's Postgres. */
  static Result restore(TestServer server, Path backup, String target, List<String> options, Map<String, String> env) {
    List<String> cmd = new ArrayList<>(List.of("scripts/restore.sh", backup.toString(), "--target-db", target,
        "--pg-url", server.pgUrl(), "--jar", jar()));
    cmd.addAll(options);
    return run(cmd, env, "");
  }

  static String jar() {
    String jar = System.getProperty("vq.jar", "target/virtual-queue.jar");
    if (!Path.of(jar).toFile().isFile()) {
      throw new IllegalStateException(jar + " is missing: run through `mvn verify` (it packages the jar first)");
    }
    return Path.of(jar).toAbsolutePath().toString();
  }
}
