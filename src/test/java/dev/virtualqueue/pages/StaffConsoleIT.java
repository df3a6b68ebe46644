package dev.virtualqueue.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Browser;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The staff console's dead ends, each in a fresh browser profile: the ticket at a counter is found on
 * any device, "Done, call next" serves and calls in one click, a new tenant is told how to start and
 * gets no button that cannot work, and a private queue's board link carries its display key.
 */
class StaffConsoleIT {
  private static final Duration SHORT = Duration.ofSeconds(5);
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static void signIn(Browser b, String tenant) {
    b.open(server.base() + "/staff");
    b.find("#tenant").sendKeys(tenant);
    b.find("#email").sendKeys("owner@" + tenant + ".test");
    b.find("#password").sendKeys("correct-horse-" + tenant);
    b.find("#login-button").click();
  }

  private static boolean disabled(Browser b, String css) {
    return Boolean.TRUE.equals(b.js("return document.querySelector(arguments[0]).disabled", css));
  }

  @Test
  void anotherDeviceFindsTheTicketAtTheCounterAndDoneCallNextServesAndCalls() {
    Staff staff = server.tenant("desk");
    String queueId = staff.queue("front", new JsonObject().put("ticketPrefix", "F")).getString("id");
    String counter = staff.openCounter(queueId, "Counter 4");
    String first = staff.join("front", new JsonObject().put("name", "Ada")).getString("id");
    staff.join("front", new JsonObject().put("name", "Bob"));
    // called elsewhere (another console, an API client): this browser has never seen the counter
    assertThat(staff.callNext(counter).status()).isEqualTo(200);

    try (Browser desk = Browser.start(1280, 900)) {
      signIn(desk, "desk");
      desk.awaitText("#current-code", "F001", SHORT);
      assertThat(desk.text("#current-info")).contains("Called").contains("Ada");
      assertThat(disabled(desk, "#call-next")).as("call next waits until the ticket is finished").isTrue();
      desk.screenshot("staff-4-restored");

      desk.find("#complete-next").click();
      desk.awaitText("#current-code", "F002", SHORT);
      assertThat(desk.text("#current-info")).contains("Bob");
      desk.awaitContains("#notice", "Called F002", SHORT);
      assertThat(staff.call("GET", "/api/v1/tickets/" + first).json().getString("status")).isEqualTo("served");

      // the next ticket is finished from yet another place: the console catches up instead of a dead end
      JsonObject bob = staff.call("GET", "/api/v1/counters/" + counter).json().getJsonObject("current");
      staff.call("POST", "/api/v1/tickets/" + bob.getString("id") + "/start");
      staff.call("POST", "/api/v1/tickets/" + bob.getString("id") + "/complete");
      desk.find("#complete-next").click();
      desk.awaitContains("#message", "(counter.ticket_changed)", SHORT);
      desk.awaitText("#current-info", "Nobody at this counter.", SHORT);
      assertThat(disabled(desk, "#call-next")).isFalse();
      desk.find("#call-next").click();
      desk.awaitContains("#notice", "Nobody is waiting.", SHORT);
    }
  }

  @Test
  void aNewTenantIsShownHowToCreateItsFirstQueueAndCounterWithTheButtonsOff() {
    Staff staff = server.tenant("fresh");
    try (Browser desk = Browser.start(1280, 900)) {
      signIn(desk, "fresh");
      desk.awaitVisible("#setup", SHORT);
      assertThat(desk.text("#setup-title")).isEqualTo("No queue yet");
      assertThat(desk.text("#setup-example")).contains(server.base() + "/api/v1/queues")
          .contains("\"tenant\":\"fresh\"").contains("/counters");
      for (String button : new String[] {"#open-counter", "#close-counter", "#call-next", "#pause", "#resume",
          "#refresh"}) {
        assertThat(disabled(desk, button)).as(button + " disabled").isTrue();
      }
      assertThat(disabled(desk, "#queue")).isTrue();
      assertThat(disabled(desk, "#counter")).isTrue();
      desk.screenshot("staff-5-new-tenant");
      assertThat(desk.seriousAccessibilityViolations()).as("new tenant console: serious axe violations").isEmpty();

      // the queue now exists (made through the API, as the page says), still without a counter
      String queueId = staff.queue("first").getString("id");
      desk.find("#reload").click();
      desk.awaitText("#setup-title", "This queue has no counter", SHORT);
      assertThat(desk.text("#setup-example")).contains("/api/v1/queues/" + queueId + "/counters");
      assertThat(disabled(desk, "#call-next")).isTrue();
      assertThat(disabled(desk, "#open-counter")).isTrue();
      desk.await(SHORT, "pause works once there is a queue", d -> !disabled(desk, "#pause"));

      staff.openCounter(queueId, "Counter 1");
      desk.find("#reload").click();
      desk.await(SHORT, "setup hidden", d -> !desk.visible("#setup"));
      desk.awaitContains("#counter-status", "Counter 1: Open", SHORT);
      assertThat(disabled(desk, "#call-next")).isFalse();
    }
  }

  @Test
  void aPrivateQueuesBoardLinkCarriesItsDisplayKeyOrSaysItNeedsIt() {
    Staff staff = server.tenant("lobby");
    String queueId = staff.queue("hall").getString("id");
    staff.openCounter(queueId, "Counter 1");
    String key = staff.call("POST", "/api/v1/queues/" + queueId + "/display-key").json().getString("key");

    try (Browser desk = Browser.start(1280, 900)) {
      signIn(desk, "lobby");
      desk.awaitVisible("#key-box", SHORT);
      assertThat(desk.text("#links")).contains("needs the display key");
      assertThat(desk.text("#key-note")).contains("POST /api/v1/queues/" + queueId + "/display-key");

      desk.find("#display-key").sendKeys("vqd_not-the-key");
      desk.find("#use-key").click();
      desk.awaitText("#key-note", "That is not this queue’s display key.", SHORT);

      desk.find("#display-key").sendKeys(key);
      desk.find("#use-key").click();
      desk.await(SHORT, "key box hidden", d -> !desk.visible("#key-box"));
      String board = (String) desk.js("return document.querySelector('#links a[href^=\"/board/\"]').href");
      assertThat(board).isEqualTo(server.base() + "/board/" + queueId + "#key=" + key);
      String kiosk = (String) desk.js("return document.querySelector('#links a[href^=\"/kiosk/\"]').href");
      assertThat(kiosk).endsWith("/kiosk/lobby/hall#key=" + key);
      desk.screenshot("staff-6-board-key");

      desk.open(board);
      desk.await(SHORT, "the private board connects", d -> "open".equals(desk.js("return document.body.dataset.conn")));
    }
  }
}
