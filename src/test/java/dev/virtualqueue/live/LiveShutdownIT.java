package dev.virtualqueue.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.LiveClient;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A graceful stop tells live clients to come back later and closes with 1001 (going away). */
class LiveShutdownIT {

  @Test
  void clientsAreToldToReconnectWithJitter() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestServer server = TestServer.start()) {
      Staff staff = server.tenant("bye");
      staff.queue("line");
      JsonObject t = staff.join("line");
      LiveClient c = LiveClient.connect(LiveClient.client(vertx), server.app().httpPort(),
          "/ws/tickets/" + t.getString("id") + "?token=" + t.getString("token"));
      c.await(m -> m.getString("type").equals("ticket"), 5_000);
      server.stop();
      JsonObject bye = c.await(m -> m.getString("type").equals("bye"), 5_000);
      assertThat(bye.getLong("reconnectInMs")).isBetween(1_000L, 10_000L);
      for (int i = 0; i < 100 && !c.closed(); i++) {
        Thread.sleep(20);
      }
      assertThat(c.closeCode).isEqualTo((short) 1001);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }
}
