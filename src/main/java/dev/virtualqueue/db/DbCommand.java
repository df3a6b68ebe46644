package dev.virtualqueue.db;

import dev.virtualqueue.config.AppConfig;
import java.io.PrintStream;
import java.net.URI;
import java.util.Arrays;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * {@code db validate}: checks, without changing anything, that the schema history of the database
 * VQ_PG_URL names matches the migrations in this jar (no failed, unknown, missing or edited
 * migration). Pending migrations are reported, not refused: the server applies them at start, so
 * a backup of an older release restores fine. Exit codes: 0 valid, 3 invalid, 2 bad usage, 1 any
 * other failure (no database, no schema history).
 */
public final class DbCommand {
  static final String USAGE = "usage: virtual-queue db validate";
  public static final String HELP = USAGE + """


      Compares the database's Flyway schema history with the migrations this jar ships, read-only
      (scripts/restore.sh runs it on a restored database before anyone is switched over to it).

        validate           applied migrations must match the jar's (checksums, versions); pending
                           ones are listed and allowed (the server applies them when it starts)
        --help             this text

      Reads VQ_PG_URL like the server. Exit codes: 0 valid, 3 invalid, 2 bad usage, 1 any other
      failure (the database cannot be reached or has no schema history).
      """;

  private DbCommand() {
  }

  public static boolean wantsHelp(String[] args) {
    return Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h") || a.equals("help"));
  }

  public static int run(AppConfig config, String[] args) {
    return run(config, args, System.out, System.err);
  }

  static int run(AppConfig config, String[] args, PrintStream out, PrintStream err) {
    if (args.length != 1 || !args[0].equals("validate")) {
      err.println("db: " + (args.length == 0 ? "name a command: validate" : "unknown arguments"));
      err.println(USAGE);
      return 2;
    }
    try {
      return validate(flyway(config.pg().url()), out, err);
    } catch (RuntimeException e) { // FlywayException: no connection, no history table...
      err.println("db validate failed: " + e.getMessage());
      return 1;
    }
  }

  private static Flyway flyway(URI url) {
    return Flyway.configure()
        .dataSource(Database.jdbcUrl(url), Database.user(url), Database.password(url))
        .locations("classpath:db/migration")
        .ignoreMigrationPatterns("*:pending")
        .load();
  }

  private static int validate(Flyway flyway, PrintStream out, PrintStream err) {
    MigrationInfo current = flyway.info().current();
    if (current == null) {
      err.println("db validate: no schema history in this database (not a Virtual Queue database?)");
      return 1;
    }
    ValidateResult result = flyway.validateWithResult();
    int pending = flyway.info().pending().length;
    if (!result.validationSuccessful) {
      for (ValidateOutput m : result.invalidMigrations) {
        out.println("INVALID " + m.version + " " + m.description + ": " + m.errorDetails.errorMessage);
      }
      out.println("schema history does not match this jar's migrations"
          + (result.errorDetails == null ? "" : ": " + result.errorDetails.errorMessage));
      return 3;
    }
    String pendingNote = pending == 0 ? "" : ", " + pending + " pending: the server applies them at start";
    out.println("schema valid at version " + current.getVersion() + " (" + result.validateCount
        + " migrations checked" + pendingNote + ")");
    return 0;
  }
}
