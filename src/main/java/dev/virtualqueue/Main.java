package dev.virtualqueue;

import dev.virtualqueue.auth.BootstrapCommand;
import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.config.ConfigLoader;
import dev.virtualqueue.dev.DevStores;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: {@code java -jar virtual-queue.jar [serve | bootstrap ...]}. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    AppConfig config;
    try {
      config = ConfigLoader.load(System.getenv());
    } catch (ConfigLoader.ConfigException e) {
      e.problems().forEach(p -> System.err.println("config error: " + p));
      System.exit(2);
      return;
    }
    String command = args.length == 0 ? "serve" : args[0];
    switch (command) {
      case "serve" -> serve(config);
      case "bootstrap" -> System.exit(BootstrapCommand.run(config, Arrays.copyOfRange(args, 1, args.length)));
      default -> {
        System.err.println("usage: virtual-queue [serve | bootstrap --tenant <slug> --email <email>"
            + " [--name <display name>] (--password-stdin | --password-file <path>)]");
        System.exit(2);
      }
    }
  }

  private static void serve(AppConfig config) {
    DevStores stores = DevStores.ensure(config, System.getenv()); // dev profile: a missing Postgres/Redis
    App.start(config)
        .onSuccess(app -> {
          stores.handOver();
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down");
            app.close().await();
            stores.close();
          }));
        })
        .onFailure(t -> {
          LOG.error("start-up failed: {}", t.getMessage(), t);
          System.exit(1);
        });
  }
}
