package dev.virtualqueue.admission;

import dev.virtualqueue.common.SecretSealer;
import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.config.ServerKey;
import dev.virtualqueue.db.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code access-keys rotate | list}: the operator's view of the access-token keys. Rotation adds
 * a key that is published at once and signs after {@code --activate-in}; the keys it replaces stop
 * signing then and stay published for {@code --overlap} more, so a token they signed verifies
 * until it expires. Exit codes: 0 done, 2 bad usage or a refused overlap, 1 any other failure.
 */
public final class AccessKeysCommand {
  static final int DEFAULT_ACTIVATE_IN = 120;
  static final int DEFAULT_OVERLAP = 3600;
  /** A new key signs no sooner than every verifier can have it: the JWKS cache (60 s) plus the servers' reload (10 s). */
  static final int SAFE_ACTIVATE_IN = 70;
  static final String USAGE = "usage: virtual-queue access-keys (rotate [--activate-in <s>] [--overlap <s>] [--force]"
      + " | list)";
  public static final String HELP = USAGE + """


      The waiting rooms' access tokens are signed with their own ES256 keys, kept in Postgres (the
      private keys sealed with the server key file) and published at /.well-known/jwks.json.

        rotate             make a new key: published now, signing from --activate-in seconds on;
                           the keys signing until then retire --overlap seconds after it
          --activate-in <s>  default 120; keep it above 70 (JWKS cached 60 s + servers reload every 10 s)
          --overlap <s>      default 3600; must cover the longest session of any waiting room
                             (maxSessionSeconds), else it is refused
          --force            rotate even with a shorter overlap (tokens of the old key then stop
                             verifying before they expire)
        list               every key: upcoming, signing, previous or retired, and its dates
        --help             this text

      Reads VQ_PG_URL and the server key file (VQ_SECRETS_KEY_FILE) like the server; the servers
      pick a change up within 10 s, without a restart. Exit codes: 0 done, 2 bad usage or a refused
      overlap, 1 any other failure.
      """;

  private AccessKeysCommand() {
  }

  /** The parsed arguments. */
  record Args(boolean rotate, int activateIn, int overlap, boolean force) {
  }

  /** Bad usage, or a rotation refused: the message is printed and the command exits with 2. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message, null, false, false);
    }
  }

  public static boolean wantsHelp(String[] args) {
    return Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h") || a.equals("help"));
  }

  /** Runs the command; returns the process exit code. */
  public static int run(AppConfig config, String[] args) {
    return run(config, args, System.out, System.err);
  }

  static int run(AppConfig config, String[] args, PrintStream out, PrintStream err) {
    if (wantsHelp(args)) {
      out.print(HELP);
      return 0;
    }
    Args opts;
    try {
      opts = parse(args);
    } catch (UsageException e) {
      err.println("access-keys: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      ServerKey serverKey = ServerKey.loadExisting(config);
      List<String> lines = execute(vertx, config, serverKey, opts).await();
      lines.forEach(out::println);
      return 0;
    } catch (Exception e) { // Future.await() rethrows the failure as it is, checked ones included
      boolean refused = e instanceof UsageException;
      err.println((refused ? "access-keys: " : "access-keys failed: ") + e.getMessage());
      return refused ? 2 : 1;
    } finally {
      vertx.close().await();
    }
  }

  static Args parse(String[] args) throws UsageException {
    if (args.length == 0 || !args[0].equals("rotate") && !args[0].equals("list")) {
      throw new UsageException(args.length == 0 ? "name a command: rotate or list" : "unknown command '" + args[0] + "'");
    }
    boolean rotate = args[0].equals("rotate");
    int activateIn = DEFAULT_ACTIVATE_IN;
    int overlap = DEFAULT_OVERLAP;
    boolean force = false;
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (rotate && a.equals("--force")) {
        force = true;
      } else if (rotate && (a.equals("--activate-in") || a.equals("--overlap"))) {
        int value = seconds(a, i + 1 < args.length ? args[++i] : null);
        activateIn = a.equals("--activate-in") ? value : activateIn;
        overlap = a.equals("--overlap") ? value : overlap;
      } else {
        throw new UsageException("unknown argument '" + a + "'");
      }
    }
    return new Args(rotate, activateIn, overlap, force);
  }

  private static int seconds(String option, String value) throws UsageException {
    try {
      int n = Integer.parseInt(value == null ? "" : value);
      if (n >= 0 && n <= 30 * 86_400) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new UsageException(option + " needs a number of seconds from 0 to 2592000 (30 days)");
  }

  private static Future<List<String>> execute(Vertx vertx, AppConfig config, ServerKey serverKey, Args opts) {
    return Database.migrate(vertx, config.pg(), config.dev()).compose(applied -> {
      Pool pool = Database.pool(vertx, config.pg());
      AccessKeyStore store = new AccessKeyStore(pool,
          new SecretSealer(serverKey.derive("access-keys"), new SecureRandom()));
      Future<List<String>> done = opts.rotate() ? rotate(store, opts) : store.all().map(AccessKeysCommand::list);
      return done.eventually(pool::close);
    });
  }

  private static Future<List<String>> rotate(AccessKeyStore store, Args opts) {
    return store.longestSession().compose(longest -> {
      if (opts.overlap() < longest && !opts.force()) {
        return Future.failedFuture(new UsageException("--overlap " + opts.overlap() + " is shorter than the longest"
            + " session a waiting room may give (" + longest + " s): tokens the old key signed would stop verifying"
            + " before they expire. Use --overlap " + longest + " or more (or --force to accept that)."));
      }
      return store.rotate(opts.activateIn(), opts.overlap()).map(r -> rotated(r, opts));
    });
  }

  private static List<String> rotated(AccessKeyStore.Rotation r, Args opts) {
    List<String> out = new ArrayList<>();
    out.add("new access key " + r.kid() + ": published now, signs from " + r.signsFrom() + " (in "
        + opts.activateIn() + " s)");
    if (!r.retiring().isEmpty()) {
      out.add(String.join(", ", r.retiring()) + ": stop signing then, retire at " + r.retireAt() + " (overlap "
          + opts.overlap() + " s)");
    }
    if (r.removed() > 0) {
      out.add("removed " + r.removed() + " retired key(s)");
    }
    if (opts.activateIn() < SAFE_ACTIVATE_IN) {
      out.add("warning: --activate-in " + opts.activateIn() + " is below " + SAFE_ACTIVATE_IN + " s: a site that cached"
          + " the JWKS may see tokens of the new key before it knows the key");
    }
    out.add("the servers follow within 10 s");
    return out;
  }

  private static List<String> list(List<AccessKey> keys) {
    Instant now = Instant.now();
    AccessKey signer = keys.stream().filter(k -> k.published(now) && !k.signsFrom().isAfter(now)).findFirst()
        .orElse(null);
    List<String> out = new ArrayList<>();
    out.add(String.format("%-28s %-9s %-30s %-30s %s", "kid", "state", "signs from", "retires at", "private key"));
    for (AccessKey k : keys) {
      out.add(String.format("%-28s %-9s %-30s %-30s %s", k.kid(), k.state(now, k == signer), k.signsFrom(),
          k.retireAt() == null ? "-" : k.retireAt(), k.privateKey() != null ? "opens" : "does not open here"));
    }
    return out;
  }
}
