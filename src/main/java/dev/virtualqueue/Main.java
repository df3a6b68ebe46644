package dev.virtualqueue;

import dev.virtualqueue.admission.AccessKeysCommand;
import dev.virtualqueue.audit.AuditCommand;
import dev.virtualqueue.auth.BootstrapCommand;
import dev.virtualqueue.auth.KeysCommand;
import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.config.ConfigLoader;
import dev.virtualqueue.db.DbCommand;
import dev.virtualqueue.dev.DevStores;
import dev.virtualqueue.server.App;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: {@code java -jar virtual-queue.jar [serve | bootstrap ... | keys generate ... | access-keys ... | audit ... | db ... | --help]}. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  static final String HELP = """
      usage: virtual-queue [<command>] [<options>]

      commands:
        serve              run the server (the default when no command is given)
        bootstrap ...      create a tenant and its owner account (idempotent)
        keys generate ...  write a new JWT signing key into a keys folder (VQ_JWT_KEYS_DIR)
        access-keys ...    rotate or list the waiting rooms' access-token keys (in the database)
        audit verify ...   check the audit log's hash chains (every tenant, or --tenant <slug>)
        db validate        check the database's schema history against this jar's migrations
        help, --help       this text; '<command> --help' explains a command

      Settings come from conf/virtual-queue.json (or VQ_CONFIG) and VQ_* environment variables,
      e.g. VQ_PROFILE=dev for a development run (see README.md).
      """;

  static final String SERVE_HELP = """
      usage: virtual-queue [serve]

      Serves the API, pages and sockets on VQ_HTTP_PORT (8080) and metrics and health on
      VQ_MANAGEMENT_PORT (8081), against VQ_PG_URL and VQ_REDIS_URL. Outside the dev profile
      VQ_JWT_KEYS_DIR must name a folder with a signing key ('virtual-queue keys generate --help').
      VQ_PROFILE=dev creates the database, keeps a JWT key in .dev/jwt-keys and seeds a demo tenant.
      """;

  /** Not an exit code: the server is starting and the process lives on (Vert.x threads keep it up). */
  static final int SERVING = -1;

  private Main() {
  }

  public static void main(String[] args) {
    int code = run(args, System.getenv());
    if (code != SERVING) {
      System.exit(code);
    }
  }

  /** Runs a command; returns its exit code, or {@link #SERVING} once the server is starting. */
  static int run(String[] args, Map<String, String> env) {
    String command = args.length == 0 ? "serve" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    return switch (command) {
      case "serve" -> BootstrapCommand.wantsHelp(rest) ? help(SERVE_HELP)
          : withConfig(ConfigLoader::load, env, config -> serve(config, env));
      case "bootstrap" -> BootstrapCommand.wantsHelp(rest) ? help(BootstrapCommand.HELP)
          : withConfig(ConfigLoader::loadWithoutKeys, env, config -> BootstrapCommand.run(config, rest));
      case "keys" -> KeysCommand.run(rest, System.out, System.err);
      case "access-keys" -> AccessKeysCommand.wantsHelp(rest) ? help(AccessKeysCommand.HELP)
          : withConfig(ConfigLoader::loadWithoutKeys, env, config -> AccessKeysCommand.run(config, rest));
      case "audit" -> AuditCommand.wantsHelp(rest) ? help(AuditCommand.HELP)
          : withConfig(ConfigLoader::loadWithoutKeys, env, config -> AuditCommand.run(config, rest));
      case "db" -> DbCommand.wantsHelp(rest) ? help(DbCommand.HELP)
          : withConfig(ConfigLoader::loadWithoutKeys, env, config -> DbCommand.run(config, rest));
      case "help", "--help", "-h" -> help(HELP);
      default -> {
        System.err.println("virtual-queue: unknown command '" + command + "'");
        System.err.print(HELP);
        yield 2;
      }
    };
  }

  private static int help(String text) {
    System.out.print(text);
    return 0;
  }

  private static int withConfig(Function<Map<String, String>, AppConfig> loader, Map<String, String> env,
                                Function<AppConfig, Integer> command) {
    AppConfig config;
    try {
      config = loader.apply(env);
    } catch (ConfigLoader.ConfigException e) {
      e.problems().forEach(p -> System.err.println("config error: " + p));
      return 2;
    }
    return command.apply(config);
  }

  /**
   * Starts the server; a failed start exits with 1 (a store down: a later start may work), a refused one
   * (a dev database in production) with 2; a running one is drained and closed by the shutdown hook
   * (SIGTERM: readiness fails, then sockets get bye, then it closes).
   */
  private static int serve(AppConfig config, Map<String, String> env) {
    DevStores stores = DevStores.ensure(config, env); // dev profile: a missing Postgres/Redis
    App.start(config)
        .onSuccess(app -> {
          stores.handOver();
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down");
            app.drainAndClose().await();
            stores.close();
          }));
        })
        .onFailure(t -> {
          if (t instanceof ConfigLoader.ConfigException refused) {
            // refused, like a bad setting (exit 2): starting again cannot help
            refused.problems().forEach(p -> System.err.println("start-up refused: " + p));
            System.exit(2);
          }
          LOG.error("start-up failed: {}", t.getMessage(), t);
          System.exit(1);
        });
    return SERVING;
  }
}
