package dev.virtualqueue.auth;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.db.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code bootstrap} subcommand: migrates the schema, then creates a tenant and its owner unless they
 * exist. Exit codes: 0 done (or nothing to do), 2 bad usage or input, 1 any other failure.
 */
public final class BootstrapCommand {
  public static final String HELP = BootstrapArgs.USAGE + """


      Migrates the schema of the database at VQ_PG_URL, then creates the tenant and its owner
      account unless that tenant already has that owner (run it again: nothing changes). It signs
      no token, so it needs no JWT keys (VQ_JWT_KEYS_DIR may be unset).

        --tenant <slug>             the tenant's slug: a-z, 0-9 and '-', 2 to 63 characters
        --email <email>             the owner's login
        --name <tenant name>        the tenant's display name (default: the slug)
        --owner-name <display name> the owner's display name (default: the email before '@')
        --password-stdin            read the password from the first line of stdin
        --password-file <path>      read the password from a file (trailing newline dropped)
        --help                      this text
      A password is never taken from the command line. Exit codes: 0 done or nothing to do,
      2 bad usage or input, 1 any other failure.
      """;

  private BootstrapCommand() {
  }

  /** True when the arguments ask for help (then nothing else is read or run). */
  public static boolean wantsHelp(String[] args) {
    return Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h"));
  }

  /** Runs the command; returns the process exit code. */
  public static int run(AppConfig config, String[] args) {
    return run(config, args, System.in, System.out, System.err);
  }

  static int run(AppConfig config, String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    if (wantsHelp(args)) {
      out.print(HELP);
      return 0;
    }
    BootstrapArgs opts;
    char[] password;
    try {
      opts = BootstrapArgs.parse(args);
      password = opts.readPassword(stdin);
      TenantService.check(opts.tenant(), opts.email(), password);
    } catch (BootstrapArgs.UsageException | ApiException e) {
      err.println("bootstrap: " + e.getMessage());
      err.println(BootstrapArgs.USAGE);
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      TenantService.Bootstrapped b = execute(vertx, config, opts, password).await();
      out.println(b.created()
          ? "created tenant " + opts.tenant() + " with owner " + opts.email().toLowerCase(Locale.ROOT)
          : "tenant " + opts.tenant() + " already exists; nothing changed");
      return 0;
    } catch (ApiException e) {
      err.println("bootstrap: " + e.getMessage());
      return e instanceof ApiException.BadRequest ? 2 : 1;
    } catch (Exception e) { // Future.await() may rethrow checked causes too
      err.println("bootstrap failed: " + e);
      return 1;
    } finally {
      Arrays.fill(password, '\0');
      vertx.close().await();
    }
  }

  private static Future<TenantService.Bootstrapped> execute(Vertx vertx, AppConfig config, BootstrapArgs opts,
                                                            char[] password) {
    return Database.migrate(vertx, config.pg(), config.dev()).compose(applied -> {
      var pool = Database.pool(vertx, config.pg());
      return new TenantService(pool, new PasswordHasher(vertx))
          .bootstrap(opts.tenant(), opts.name(), opts.email(), opts.ownerName(), password)
          .eventually(pool::close);
    });
  }
}
