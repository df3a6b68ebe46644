package dev.virtualqueue.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request whose work cannot finish (here: its UPDATE waits on a row lock another Postgres
 * session holds) is answered 503 {@code request.timeout} after {@code http.requestTimeoutSeconds}
 * instead of holding its client for good; the rest of the API keeps answering meanwhile, and the
 * late completion of the timed-out work breaks nothing.
 */
class RequestTimeoutIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("VQ_HTTP_REQUEST_TIMEOUT_SECONDS", "1"));
  static Staff staff;

  @BeforeAll
  static void start() {
    staff = server.tenant("slowdb");
  }

  @Test
  void aRequestStuckOnTheDatabaseGets503AndTheServerKeepsAnswering() throws Exception {
    String queueId = staff.queue("locked").getString("id");
    try (Connection lock = server.database()) {
      lock.setAutoCommit(false);
      try (PreparedStatement ps = lock.prepareStatement("SELECT id FROM queues WHERE id = ? FOR UPDATE")) {
        ps.setObject(1, UUID.fromString(queueId));
        ps.executeQuery().close();
      }

      long start = System.nanoTime();
      CompletableFuture<Resp> stuck = CompletableFuture.supplyAsync(
          () -> staff.call("PATCH", "/api/v1/queues/" + queueId, "{\"name\":\"Renamed\"}"));
      // other requests, even on the same queue, are not held up by the stuck one
      Resp read = staff.call("GET", "/api/v1/queues/" + queueId);
      assertThat(read.status()).isEqualTo(200);
      assertThat(read.json().getString("name")).isEqualTo("Queue locked");

      Resp timedOut = stuck.get(20, TimeUnit.SECONDS);
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(timedOut.status()).isEqualTo(503);
      assertThat(timedOut.contentType()).startsWith("application/problem+json");
      assertThat(timedOut.json().getString("code")).isEqualTo("request.timeout");
      assertThat(timedOut.header("Retry-After")).isEqualTo("2");
      assertThat(tookMillis).isBetween(900L, 10_000L);
      lock.rollback();
    }

    // the lock is gone: the late update commits quietly (its answer was the 503) and the API is fine
    String name = null;
    for (long end = System.currentTimeMillis() + 10_000; System.currentTimeMillis() < end; Thread.sleep(100)) {
      name = staff.call("GET", "/api/v1/queues/" + queueId).json().getString("name");
      if ("Renamed".equals(name)) {
        break;
      }
    }
    assertThat(name).isEqualTo("Renamed");
    Resp again = staff.call("PATCH", "/api/v1/queues/" + queueId, "{\"name\":\"Renamed twice\"}");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().getString("name")).isEqualTo("Renamed twice");
  }
}
