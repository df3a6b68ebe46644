package dev.virtualqueue.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualqueue.auth.KeysCommand;
import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.config.ConfigLoader;
import dev.virtualqueue.server.App;
import dev.virtualqueue.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that a development run seeded (the demo tenant and its published login) is never
 * served in production: the start is refused with one line; the same database without the demo
 * login starts.
 */
class DemoSeedRefusalIT {
  @TempDir
  Path keys;

  @Test
  void aProductionStartOnADevDatabaseIsRefused() throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true);
    assertThat(KeysCommand.run(new String[] {"generate", "--dir", keys.toString()}, quiet, quiet)).isZero();
    try (TestServer dev = TestServer.start()) {
      assertThat(dev.count("SELECT count(*) FROM staff_users WHERE email = '" + DemoSeeder.EMAIL + "'")).isOne();
      dev.stop();
      AppConfig prod = prodConfig(dev);
      assertThatThrownBy(() -> App.start(prod).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause()
          .isInstanceOfSatisfying(ConfigLoader.ConfigException.class, e -> assertThat(e.problems()).singleElement()
              .satisfies(line -> assertThat(line)
                  .startsWith("the database holds the dev profile's demo login owner@demo.test (tenant 'demo'")));
      // the check is about the seeded login, not about the database: without it the start goes on
      dev.sql("UPDATE staff_users SET email = 'boss@acme.test' WHERE email = '" + DemoSeeder.EMAIL + "'");
      App app = App.start(prod).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      app.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private AppConfig prodConfig(TestServer on) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(Map.of("VQ_CONFIG", "conf/virtual-queue.json", "VQ_PROFILE", "prod", "VQ_HTTP_PORT", "0",
        "VQ_MANAGEMENT_PORT", "0", "VQ_HTTP_HOST", "127.0.0.1", "VQ_MANAGEMENT_HOST", "127.0.0.1",
        "VQ_PG_URL", on.pgUrl(), "VQ_REDIS_URL", TestServer.REDIS_URL, "VQ_REDIS_KEY_PREFIX", on.prefix(),
        "VQ_JWT_KEYS_DIR", keys.toString()));
    return ConfigLoader.load(env);
  }
}
