package dev.virtualqueue.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.PrivateRedis;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server on its own redis-server process: when Redis dies, requests that need it get a fast
 * 503 with Retry-After; when an empty Redis comes back, the mirror is rebuilt and positions and
 * numbering are exactly as before.
 */
class RedisOutageIT {
  PrivateRedis redis;
  TestServer server;

  @BeforeEach
  void start() throws Exception {
    redis = PrivateRedis.start();
    server = TestServer.start(redis.url(), Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    redis.close();
  }

  @Test
  void unreachableRedisGivesFast503AndAnEmptyRestartIsRebuilt() throws Exception {
    Staff staff = server.tenant("outage");
    JsonObject q = staff.queue("line");
    JsonObject a = staff.join("line");
    JsonObject b = staff.join("line");

    redis.kill();
    long started = System.nanoTime();
    Resp join = server.http("POST", "/api/v1/public/outage/queues/line/tickets", "{}");
    Resp read = server.http("GET", "/api/v1/tickets/" + b.getString("id"), null, "X-Ticket-Token", b.getString("token"));
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertThat(join.status()).as(join.toString()).isEqualTo(503);
    assertThat(join.header("Retry-After")).isNotNull();
    assertThat(join.contentType()).startsWith("application/problem+json");
    assertThat(read.status()).isEqualTo(503);
    assertThat(millis).as("both answered quickly").isLessThan(5_000);
    assertThat(server.count("SELECT count(*) FROM tickets")).isEqualTo(2);
    Resp health = server.send("GET", server.management() + "/health/ready", null);
    assertThat(health.status()).isEqualTo(503);

    redis.startProcess();
    JsonObject bAgain = null;
    for (int i = 0; i < 100 && bAgain == null; i++) {
      Resp r = server.http("GET", "/api/v1/tickets/" + b.getString("id"), null, "X-Ticket-Token", b.getString("token"));
      if (r.status() == 200) {
        bAgain = r.json();
      } else {
        Thread.sleep(100);
      }
    }
    assertThat(bAgain).isNotNull();
    assertThat(bAgain.getLong("position")).isEqualTo(2);
    assertThat(staff.ticket(a).getLong("position")).isEqualTo(1);
    JsonObject c = staff.join("line");
    assertThat(c.getString("code")).isEqualTo("A003");
    assertThat(c.getLong("position")).isEqualTo(3);
    assertThat(q.getString("id")).isNotNull();
  }
}
