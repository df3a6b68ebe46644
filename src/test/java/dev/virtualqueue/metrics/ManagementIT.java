package dev.virtualqueue.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The management port: health and Prometheus metrics, labelled by route, never by raw path. */
class ManagementIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void healthIsLiveAndReady() {
    assertThat(server.send("GET", server.management() + "/health/live", null).status()).isEqualTo(200);
    Resp ready = server.send("GET", server.management() + "/health/ready", null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body()).contains("postgres").contains("redis").contains("line-mirror");
  }

  @Test
  void metricsCarryRouteTemplatesAndJvmMeters() {
    Staff staff = server.tenant("metrics");
    staff.queue("line");
    var t = staff.join("line");
    staff.ticket(t);
    String metrics = server.send("GET", server.management() + "/metrics", null).body();
    assertThat(metrics).contains("vertx_http_server_requests_total")
        .contains("route=\"/api/v1/tickets/:ticketId\"")
        .contains("route=\"/api/v1/public/:tenantSlug/queues/:queueSlug/tickets\"")
        .contains("jvm_memory_used_bytes")
        .contains("vertx_pool_in_use");
    assertThat(metrics).doesNotContain(t.getString("id"));
  }
}
