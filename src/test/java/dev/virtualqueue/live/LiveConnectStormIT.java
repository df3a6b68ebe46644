package dev.virtualqueue.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.LiveClient;
import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import dev.virtualqueue.testing.TicketSockets;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many sockets of one queue connect at once, on both event loops, while its settings are not cached:
 * the loops then share one load of the queue, which completes on one of them. Each socket's
 * registration and snapshot must still happen on its own loop (the registry's maps are that loop's
 * alone; the registry asserts it, and the build runs with assertions on), and every socket gets its
 * snapshot. Once, in a full run, a socket got none and nothing was logged.
 */
class LiveConnectStormIT {
  private static final int SOCKETS = 48;
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("VQ_HTTP_INSTANCES", "2"));
  @RegisterExtension
  static final TicketSockets live = new TicketSockets(server);

  @Test
  void everySocketOfAStormGetsItsSnapshot() throws Exception {
    Staff staff = server.tenant("storm");
    staff.queue("storm");
    List<JsonObject> tickets = new ArrayList<>();
    for (int i = 0; i < SOCKETS; i++) {
      tickets.add(staff.join("storm"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(SOCKETS);
    List<LiveClient> sockets = new ArrayList<>();
    try {
      for (int round = 0; round < 3; round++) {
        Thread.sleep(1_500); // past the settings cache (1 s): the storm's sockets share one cold load
        List<Future<LiveClient>> connecting = new ArrayList<>();
        for (JsonObject t : tickets) {
          connecting.add(pool.submit(() -> live.open(t)));
        }
        List<LiveClient> round0 = new ArrayList<>();
        for (Future<LiveClient> f : connecting) {
          round0.add(f.get(20, TimeUnit.SECONDS));
        }
        sockets.addAll(round0);
        for (int i = 0; i < round0.size(); i++) {
          long position = i + 1;
          JsonObject snap = round0.get(i).await(m -> "ticket".equals(m.getString("type")), Poll.DEADLINE_MILLIS);
          assertThat(snap.getLong("position")).isEqualTo(position);
        }
        round0.forEach(LiveClient::close);
      }
    } finally {
      pool.shutdownNow();
      sockets.forEach(LiveClient::close);
    }
  }
}
