package dev.virtualqueue.auth;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code keys generate --dir <folder> [--kid <kid>]}: writes a new JWT signing key, so a
 * production server (which never generates keys itself) has one. Needs no configuration and no
 * database. Exit codes: 0 written, 2 bad usage, 1 the key could not be written.
 */
public final class KeysCommand {
  public static final String HELP = """
      usage: virtual-queue keys generate --dir <folder> [--kid <kid>]

      Writes a new EC P-256 (ES256) JWT signing key as <folder>/<kid>.pem: its PKCS#8 private key
      and its public key, mode 0600 (the folder is created with mode 0700). Point VQ_JWT_KEYS_DIR at
      the folder and (re)start the servers: the lexicographically last kid signs new tokens and
      every key in the folder keeps verifying, so generating a key is also how keys are rotated.
      An existing file is never overwritten. Copy the same folder to every instance.

        --dir <folder>  the keys folder (VQ_JWT_KEYS_DIR)
        --kid <kid>     key id: letters, digits, '.', '_', '-' (at most 64); default: the current
                        UTC time, e.g. 2025-06-01T120000Z, which sorts after older keys
        --help          this text
      """;

  private KeysCommand() {
  }

  /** Runs the command; returns the process exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      (args.length == 0 ? err : out).print(HELP);
      return args.length == 0 ? 2 : 0;
    }
    if (!args[0].equals("generate")) {
      return usage(err, "unknown keys command '" + args[0] + "'");
    }
    String dir = null;
    String kid = null;
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        out.print(HELP);
        return 0;
      }
      if (!a.equals("--dir") && !a.equals("--kid")) {
        return usage(err, "unknown argument '" + a + "'");
      }
      if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
        return usage(err, a + " needs a value");
      }
      if (a.equals("--dir")) {
        dir = args[++i];
      } else {
        kid = args[++i];
      }
    }
    return dir == null || dir.isBlank() ? usage(err, "--dir is required") : generate(Path.of(dir), kid, out, err);
  }

  private static int generate(Path dir, String kid, PrintStream out, PrintStream err) {
    try {
      Path file = KeyFiles.generate(dir, kid);
      String name = file.getFileName().toString();
      out.println("wrote " + file + " (kid " + name.substring(0, name.length() - ".pem".length())
          + "); set VQ_JWT_KEYS_DIR=" + dir.toAbsolutePath() + " and restart the servers to sign with it");
      return 0;
    } catch (JwtKeys.KeyException e) {
      err.println("keys generate: " + e.getMessage());
      return e.getMessage().startsWith("kid ") ? 2 : 1;
    } catch (IOException | RuntimeException e) {
      err.println("keys generate failed: cannot write to " + dir + ": " + e);
      return 1;
    }
  }

  private static int usage(PrintStream err, String problem) {
    err.println("keys: " + problem);
    err.println("usage: virtual-queue keys generate --dir <folder> [--kid <kid>]   (--help for more)");
    return 2;
  }
}
