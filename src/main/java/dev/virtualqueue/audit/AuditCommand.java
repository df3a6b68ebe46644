package dev.virtualqueue.audit;

import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.db.Database;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * {@code audit verify [--tenant <slug>]}: walks the audit hash chains and reports, per tenant,
 * the entries checked or the first broken seq. Exit codes: 0 every chain holds, 3 a chain is
 * broken, 2 bad usage, 1 any other failure.
 */
public final class AuditCommand {
  static final String USAGE = "usage: virtual-queue audit verify [--tenant <slug>]";
  public static final String HELP = USAGE + """


      Checks the audit log's hash chains (docs/audit.md): every entry must chain from the one
      before it (or from the tenant's anchor after a retention purge) and match its own hash.

        verify             check every tenant's chain, or only --tenant <slug>'s
        --help             this text

      Reads VQ_PG_URL like the server. Exit codes: 0 every chain holds, 3 a chain is broken
      (the first broken seq is printed), 2 bad usage, 1 any other failure.
      """;

  private AuditCommand() {
  }

  public static boolean wantsHelp(String[] args) {
    return Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h") || a.equals("help"));
  }

  public static int run(AppConfig config, String[] args) {
    return run(config, args, System.out, System.err);
  }

  static int run(AppConfig config, String[] args, PrintStream out, PrintStream err) {
    boolean verify = args.length > 0 && args[0].equals("verify");
    boolean tenantOpt = args.length == 3 && args[1].equals("--tenant");
    if (!verify || args.length != 1 && !tenantOpt) {
      err.println("audit: " + (verify ? "unknown arguments" : "name a command: verify"));
      err.println(USAGE);
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Database.pool(vertx, config.pg());
      List<AuditVerifier.Result> results = new AuditVerifier(pool).verify(tenantOpt ? args[2] : null)
          .eventually(pool::close).await();
      return report(results, out, err);
    } catch (Exception e) { // Future.await() rethrows the failure as it is
      err.println("audit verify failed: " + e.getMessage());
      return 1;
    } finally {
      vertx.close().await();
    }
  }

  static int report(List<AuditVerifier.Result> results, PrintStream out, PrintStream err) {
    if (results.isEmpty()) {
      err.println("audit verify: no such tenant");
      return 2;
    }
    boolean ok = true;
    for (AuditVerifier.Result r : results) {
      if (r.ok()) {
        out.println(r.slug() + ": ok, " + r.checked() + " entries");
      } else {
        ok = false;
        out.println(r.slug() + ": BROKEN at seq " + r.brokenSeq() + ": " + r.reason() + " (" + r.checked()
            + " entries before it hold)");
      }
    }
    return ok ? 0 : 3;
  }
}
