package dev.virtualqueue.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.PrivateRedis;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A frozen Redis (SIGSTOP: its sockets stay open and answer nothing) must not hang requests:
 * every command has a deadline (redis.commandTimeoutMillis), so joins, ticket reads and the public
 * queue page get 503 with Retry-After within 2 s, readiness goes DOWN, and all is well again at
 * once after SIGCONT.
 */
class RedisFreezeIT {
  PrivateRedis redis;
  TestServer server;

  @BeforeEach
  void start() throws Exception {
    redis = PrivateRedis.start();
    server = TestServer.start(redis.url(), Map.of("VQ_REDIS_COMMAND_TIMEOUT_MILLIS", "1000"));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    redis.close();
  }

  @Test
  void aFrozenRedisGetsFast503sAndRecoveryIsImmediate() throws Exception {
    Staff staff = server.tenant("frozen");
    staff.queue("line");
    JsonObject held = staff.join("line");
    String join = "/api/v1/public/frozen/queues/line/tickets";

    redis.freeze();
    try {
      assertFast503(() -> server.http("POST", join, "{}", "Idempotency-Key", UUID.randomUUID().toString()));
      assertFast503(() -> server.http("GET", "/api/v1/tickets/" + held.getString("id"), null,
          "X-Ticket-Token", held.getString("token")));
      assertFast503(() -> server.http("GET", "/api/v1/public/frozen/queues/line", null));
      // a join without a key fails as fast
      assertFast503(() -> server.http("POST", join, "{\"name\":\"again\"}"));
      long t0 = System.nanoTime();
      Resp ready = server.send("GET", server.management() + "/health/ready", null);
      assertThat(ready.status()).isEqualTo(503);
      assertThat(millisSince(t0)).as("readiness answers DOWN quickly").isLessThan(3_000);
    } finally {
      redis.thaw();
    }

    long t0 = System.nanoTime();
    Resp after = server.http("POST", join, "{}", "Idempotency-Key", UUID.randomUUID().toString());
    assertThat(after.status()).as(after.toString()).isEqualTo(201);
    assertThat(millisSince(t0)).as("the first join after SIGCONT").isLessThan(2_000);
    assertThat(after.json().getLong("position")).isEqualTo(2);
    assertThat(server.send("GET", server.management() + "/health/ready", null).status()).isEqualTo(200);
    assertThat(server.count("SELECT count(*) FROM tickets")).as("no refused join left a ticket").isEqualTo(2);
  }

  private static void assertFast503(Supplier<Resp> call) {
    long t0 = System.nanoTime();
    Resp r = call.get();
    long ms = millisSince(t0);
    assertThat(r.status()).as(r.toString()).isEqualTo(503);
    assertThat(r.header("Retry-After")).isNotNull();
    assertThat(r.json().getString("code")).isEqualTo("store.unavailable");
    assertThat(ms).as("answered within 2 s").isLessThan(2_000);
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
