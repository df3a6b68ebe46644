package dev.virtualqueue.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Series the alert rules count must exist before their first event: a counter whose series appears
 * at 1 looks unchanged to increase() and rate(), so a queue's first "queue full" refusal or a
 * route's first 5xx would never alert. Also the per-queue opening-hours gauge the queue alerts are
 * gated with.
 */
class PreRegisteredMetersIT {
  static final String JOIN_ROUTE = "/api/v1/public/:tenantSlug/queues/:queueSlug/tickets";
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void everyApiRouteHasItsServerErrorCountersAtZeroBeforeAnyRequest() {
    String scrape = scrape();
    SoftAssertions soft = new SoftAssertions();
    for (String[] route : List.of(new String[] {"POST", JOIN_ROUTE}, new String[] {"GET", "/api/v1/tickets/:ticketId"},
        new String[] {"POST", "/api/v1/counters/:counterId/call-next"}, new String[] {"POST", "/api/v1/auth/login"})) {
      for (String code : List.of("500", "503")) {
        soft.assertThat(value(scrape, "vertx_http_server_requests_total", "code=\"" + code + "\"",
            "method=\"" + route[0] + "\"", "route=\"" + route[1] + "\"")).as("%s %s %s", code, route[0], route[1]).isEqualTo(0.0);
      }
    }
    soft.assertAll();
  }

  @Test
  void signInLockoutMetersExistAtZeroBeforeAnyFailure() {
    String scrape = scrape();
    assertThat(scrape).contains("\nvq_auth_lockouts_total 0.0").contains("\nvq_auth_locked_accounts 0.0")
        .contains("\nvq_auth_refresh_reuse_total 0.0").contains("vq_auth_tokens_revoked_total{reason=\"logout\"} 0.0");
  }

  @Test
  void everyQueueHasItsCountersAtZeroBeforeItsFirstEvent() {
    Staff staff = server.tenant("firsts");
    staff.queue("small", new JsonObject().put("capacity", 1));
    String scrape = awaitScrape(s -> value(s, "vq_tickets_joined_total", "queue=\"small\"", "result=\"queue_full\"") != null);
    SoftAssertions soft = new SoftAssertions();
    for (String result : BusinessMetrics.JOIN_RESULTS) {
      soft.assertThat(value(scrape, "vq_tickets_joined_total", "tenant=\"firsts\"", "queue=\"small\"", "mode=\"service\"",
          "result=\"" + result + "\"")).as(result).isEqualTo(0.0);
    }
    for (String counter : List.of("called", "served", "no_show", "left", "expired", "transferred", "recalled")) {
      soft.assertThat(value(scrape, "vq_tickets_" + counter + "_total", "queue=\"small\"")).as(counter).isEqualTo(0.0);
    }
    soft.assertThat(value(scrape, "vq_queue_status_changes_total", "queue=\"small\"", "status=\"paused\"")).isEqualTo(0.0);
    soft.assertThat(value(scrape, "vq_ticket_wait_seconds_count", "queue=\"small\"")).isEqualTo(0.0);
    soft.assertThat(value(scrape, "vq_ticket_service_seconds_count", "queue=\"small\"")).isEqualTo(0.0);
    soft.assertThat(value(scrape, "vq_eta_error_seconds_count", "queue=\"small\"", "direction=\"late\"")).isEqualTo(0.0);
    soft.assertAll();

    staff.join("small");
    assertThat(server.http("POST", "/api/v1/public/firsts/queues/small/tickets", "{}").status())
        .as("the second join is refused: the queue is full").isEqualTo(409);
    assertThat(value(awaitScrape(s -> Double.valueOf(1.0).equals(value(s, "vq_tickets_joined_total", "queue=\"small\"",
        "result=\"queue_full\""))), "vq_tickets_joined_total", "queue=\"small\"", "result=\"queue_full\"")).isEqualTo(1.0);
  }

  @Test
  void withinHoursFollowsEachQueuesOwnOpeningHours() {
    Staff staff = server.tenant("hours");
    staff.queue("anytime");
    staff.queue("never", new JsonObject().put("openingHours", new JsonObject().put("timezone", "Europe/Berlin")
        .put("weekly", new JsonObject())));
    JsonObject allWeek = new JsonObject();
    for (String day : List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun")) {
      allWeek.put(day, new JsonArray().add("00:00-24:00"));
    }
    staff.queue("always", new JsonObject().put("openingHours", new JsonObject().put("timezone", "Pacific/Auckland")
        .put("weekly", allWeek)));
    String scrape = awaitScrape(s -> value(s, "vq_queue_within_hours", "tenant=\"hours\"", "queue=\"always\"") != null);
    assertThat(value(scrape, "vq_queue_within_hours", "tenant=\"hours\"", "queue=\"anytime\"")).as("no opening hours").isEqualTo(1.0);
    assertThat(value(scrape, "vq_queue_within_hours", "tenant=\"hours\"", "queue=\"never\"")).as("no day open").isEqualTo(0.0);
    assertThat(value(scrape, "vq_queue_within_hours", "tenant=\"hours\"", "queue=\"always\"")).as("open all week").isEqualTo(1.0);
  }

  private static String scrape() {
    return server.send("GET", server.management() + "/metrics", null).body();
  }

  /** Scrapes until {@code ready} holds (queue meters appear with the next gauge refresh, every 15 s). */
  private static String awaitScrape(Predicate<String> ready) {
    long end = System.currentTimeMillis() + 40_000;
    String s = scrape();
    while (!ready.test(s) && System.currentTimeMillis() < end) {
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      s = scrape();
    }
    return s;
  }

  /** The value of the one sample of {@code name} whose labels contain every {@code label="value"}, or null. */
  static Double value(String scrape, String name, String... labels) {
    Double found = null;
    for (String line : scrape.split("\n")) {
      if (!line.startsWith(name + "{")) {
        continue;
      }
      String series = line.substring(0, line.lastIndexOf(' '));
      if (Arrays.stream(labels).allMatch(series::contains)) {
        assertThat(found).as("one series of %s with %s", name, List.of(labels)).isNull();
        found = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return found;
  }
}
