package dev.virtualqueue.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.ChildServer;
import dev.virtualqueue.testing.LiveClient;
import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGTERM drains a server the way a load balancer and Kubernetes need it: readiness fails first
 * (503) while the API and the open sockets keep working for {@code VQ_HTTP_DRAIN_SECONDS}; only
 * then do the sockets get {@code bye} and a 1001 close, and the process ends.
 */
class GracefulDrainIT {
  private static final long DRAIN_MILLIS = 3_000;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void readinessFailsFirstThenSocketsGetByeThenTheProcessEnds() throws Exception {
    Staff staff = server.tenant("drain");
    staff.queue("line");
    JsonObject t = staff.join("line");
    Vertx vertx = Vertx.vertx();
    try (ChildServer child = ChildServer.start(server,
        Map.of("VQ_HTTP_DRAIN_SECONDS", String.valueOf(DRAIN_MILLIS / 1000)), "graceful-drain-child.log")) {
      LiveClient c = LiveClient.connect(LiveClient.client(vertx), child.port(),
          "/ws/tickets/" + t.getString("id") + "?token=" + t.getString("token"));
      c.await(m -> m.getString("type").equals("ticket"), 5_000);
      assertThat(ChildServer.statusOf(child.management() + "/health/ready")).isEqualTo(200);

      long termAt = System.currentTimeMillis();
      child.terminate();
      Poll.until(() -> ChildServer.statusOf(child.management() + "/health/ready"), s -> s == 503, 2_000,
          "readiness answers 503 once draining");
      long notReadyAt = System.currentTimeMillis();
      // still serving while the load balancer takes it out: a read and a join succeed, the socket stays
      assertThat(ticketRead(child, t)).isEqualTo(200);
      assertThat(child.status("/api/v1/public/drain/queues/line")).isEqualTo(200);
      assertThat(c.messages).noneMatch(m -> m.getString("type").equals("bye"));
      assertThat(c.closed()).isFalse();

      JsonObject bye = c.await(m -> m.getString("type").equals("bye"), DRAIN_MILLIS + 5_000);
      long byeAt = c.receivedAt.get(c.messages.indexOf(bye));
      assertThat(bye.getLong("reconnectInMs")).isBetween(1_000L, 10_000L);
      assertThat(byeAt - termAt).as("ms from SIGTERM to bye").isGreaterThanOrEqualTo(DRAIN_MILLIS - 200);
      assertThat(notReadyAt - termAt).as("ms from SIGTERM to readiness 503").isLessThan(2_000);
      Poll.until(c::closed, closed -> closed, 5_000, "the socket closes after bye");
      assertThat(c.closeCode).isEqualTo((short) 1001);
      assertThat(child.awaitExit(20_000)).as("the drained process ends by itself").isNotNull();
      System.out.printf("drain: readiness 503 after %d ms, bye after %d ms%n", notReadyAt - termAt, byeAt - termAt);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private static int ticketRead(ChildServer child, JsonObject t) throws Exception {
    HttpRequest get = HttpRequest.newBuilder(URI.create(child.base() + "/api/v1/tickets/" + t.getString("id")))
        .header("X-Ticket-Token", t.getString("token")).timeout(Duration.ofSeconds(5)).build();
    return HTTP.send(get, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
