package dev.virtualqueue.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The options of the {@code bootstrap} command. The password comes from stdin (first line) or a
 * file (its content without the trailing newline), never from the command line.
 */
record BootstrapArgs(String tenant, String email, String name, String ownerName, boolean passwordStdin,
                     Path passwordFile) {

  static final String USAGE = "usage: virtual-queue bootstrap --tenant <slug> --email <email> [--name <tenant name>]"
      + " [--owner-name <display name>] (--password-stdin | --password-file <path>)";
  private static final Set<String> VALUED = Set.of("--tenant", "--email", "--name", "--owner-name", "--password-file");

  /** Bad usage: the message is printed with the usage line and the command exits with 2. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message, null, false, false);
    }
  }

  static BootstrapArgs parse(String[] args) throws UsageException {
    Map<String, String> opts = new HashMap<>();
    boolean stdin = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--password") || a.startsWith("--password=")) {
        throw new UsageException("a password is never taken from the command line (it would show in the process"
            + " list and shell history); use --password-stdin or --password-file <path>");
      } else if (a.equals("--password-stdin")) {
        stdin = true;
      } else if (VALUED.contains(a)) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new UsageException(a + " needs a value");
        }
        if (opts.put(a, args[++i]) != null) {
          throw new UsageException(a + " is given twice");
        }
      } else {
        throw new UsageException("unknown argument '" + a + "'");
      }
    }
    return check(new BootstrapArgs(opts.get("--tenant"), opts.get("--email"), opts.get("--name"),
        opts.get("--owner-name"), stdin,
        opts.containsKey("--password-file") ? Path.of(opts.get("--password-file")) : null));
  }

  private static BootstrapArgs check(BootstrapArgs a) throws UsageException {
    if (a.tenant() == null || a.email() == null) {
      throw new UsageException("--tenant and --email are required");
    }
    if (a.passwordStdin() == (a.passwordFile() != null)) {
      throw new UsageException("give exactly one of --password-stdin and --password-file <path>");
    }
    return a;
  }

  /** Reads the password from the chosen source. */
  char[] readPassword(InputStream stdin) throws UsageException {
    try {
      String raw = passwordStdin
          ? new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine()
          : Files.readString(passwordFile, StandardCharsets.UTF_8);
      if (raw == null) {
        throw new UsageException("no password on stdin");
      }
      return stripNewline(raw).toCharArray();
    } catch (IOException e) {
      throw new UsageException("cannot read the password file " + passwordFile + ": " + e.getMessage());
    }
  }

  private static String stripNewline(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }
}
