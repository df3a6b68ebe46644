package dev.virtualqueue.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Browser;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The join page of a waiting room in headless Chromium: the place and the wait as a range of
 * minutes, live; the countdown to the opening with the pre-queue's draw; a room that is not open
 * yet counting down to joining and then taking the join by itself; a closed room saying so.
 */
class WaitingRoomPageIT {
  static final Duration SHORT = Duration.ofSeconds(10);
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static JsonObject room(JsonObject settings) {
    return new JsonObject().put("mode", "waiting_room").put("waitingRoom", settings);
  }

  /** The page's own ticket (id and token), as it keeps it on the device. */
  static JsonObject pagesTicket(Browser b, String tenant, String queue) {
    Object stored = b.js("return localStorage.getItem(arguments[0])", "vq.ticket." + tenant + "/" + queue);
    return new JsonObject(String.valueOf(stored));
  }

  /** What the page must say for an ETA: the same rounding as room.js. */
  static String waitText(JsonObject eta) {
    if (eta == null) {
      return "Nobody is being let in right now. Your place is kept.";
    }
    long a = Math.round(eta.getLong("p50") / 60.0);
    long b = Math.max(a, Math.round(eta.getLong("p90") / 60.0));
    if (b < 1) {
      return "less than a minute";
    }
    if (a == b) {
      return b == 1 ? "about 1 minute" : "about " + b + " minutes";
    }
    return "about " + a + "–" + b + " minutes";
  }

  @Test
  void aRoomWithARateShowsThePlaceAndTheWaitRangeLive() {
    Staff staff = server.tenant("room-rate");
    staff.queue("drop", room(new JsonObject().put("newUsersPerMinute", 1)));
    staff.join("drop");
    staff.join("drop");
    JsonObject justAhead = staff.join("drop");
    try (Browser phone = Browser.start(390, 844)) {
      phone.open(server.base() + "/q/room-rate/drop");
      phone.awaitVisible("#join-form", SHORT);
      assertThat(phone.visible("#room-info")).as("an open room has no countdown").isFalse();
      phone.find("#join-button").click();
      phone.awaitVisible("#watch-view", SHORT);
      phone.await(SHORT, "socket open", d -> "open".equals(phone.js("return document.body.dataset.conn")));
      JsonObject mine = pagesTicket(phone, "room-rate", "drop");
      long before = awaitSameAsTheApi(phone, staff, mine);
      assertThat(phone.text("#eta")).matches("about \\d+–\\d+ minutes");
      assertThat(phone.find("#position").getAttribute("aria-live")).isEqualTo("polite");
      phone.screenshot("room-1-waiting");
      assertThat(phone.seriousAccessibilityViolations()).as("waiting room: serious axe violations").isEmpty();

      // someone ahead leaves: the page moves up, with a shorter wait, without a reload
      Resp left = server.http("DELETE", "/api/v1/tickets/" + justAhead.getString("id"), null, "X-Ticket-Token",
          justAhead.getString("token"));
      assertThat(left.status()).as(left.body()).isEqualTo(200);
      long after = awaitSameAsTheApi(phone, staff, mine);
      assertThat(after).isLessThan(before);
    }
  }

  /** Waits until the page shows the place and the wait the API gives for the same ticket; returns the place. */
  static long awaitSameAsTheApi(Browser phone, Staff staff, JsonObject mine) {
    long[] place = new long[1];
    phone.await(SHORT, "the page shows what the API says", d -> {
      JsonObject v = staff.ticket(mine);
      place[0] = v.getLong("position");
      return phone.text("#position").equals(String.valueOf(place[0]))
          && phone.text("#eta").equals(waitText(v.getJsonObject("eta")));
    });
    return place[0];
  }

  @Test
  void aPrequeueCountsDownToTheOpeningAndLinksTheDraw() {
    Staff staff = server.tenant("room-pre");
    Instant opens = Instant.now().plusSeconds(3600);
    staff.queue("launch", room(new JsonObject().put("newUsersPerMinute", 60)
        .put("prequeueOpensAt", Instant.now().minusSeconds(60).toString()).put("opensAt", opens.toString())));
    try (Browser phone = Browser.start(390, 844)) {
      phone.open(server.base() + "/q/room-pre/launch");
      phone.awaitVisible("#room-info", SHORT);
      assertThat(phone.text("#schedule-label")).isEqualTo("Opens in");
      assertThat(phone.text("#schedule-countdown")).matches("(59:[0-5]\\d|1:00:00)");
      assertThat(phone.visible("#prequeue-note")).isTrue();
      // "drawn at 3:15 PM" when the opening is today, "drawn on Wed, Dec 2, 12:15 AM" when an hour
      // from now is already tomorrow (the browser's own day)
      assertThat(phone.text("#prequeue-text")).containsPattern("random order, drawn (at|on) ");
      String draw = phone.find("#draw-link").getAttribute("href");
      assertThat(draw).isEqualTo(server.base() + "/api/v1/public/room-pre/queues/launch/draw");
      Resp commitment = server.http("GET", "/api/v1/public/room-pre/queues/launch/draw", null);
      assertThat(commitment.status()).isEqualTo(200);
      assertThat(commitment.json().getString("commitment")).hasSize(64);

      phone.find("#join-button").click();
      phone.awaitVisible("#watch-view", SHORT);
      assertThat(phone.text("#position")).as("no place by arrival in a pre-queue").isEqualTo("–");
      assertThat(phone.text("#ahead")).isEqualTo("Your place is drawn at the opening");
      assertThat(phone.visible("#room-info")).isTrue();
      String shown = phone.text("#schedule-countdown");
      phone.await(SHORT, "the countdown ticks", d -> !phone.text("#schedule-countdown").equals(shown));
      phone.screenshot("room-2-prequeue");
      assertThat(phone.seriousAccessibilityViolations()).as("pre-queue: serious axe violations").isEmpty();
    }
  }

  @Test
  void aPrequeueNotOpenYetCountsDownToJoiningAndTakesNoJoin() {
    Staff staff = server.tenant("room-later");
    staff.queue("later", room(new JsonObject().put("newUsersPerMinute", 60)
        .put("prequeueOpensAt", Instant.now().plusSeconds(7200).toString())
        .put("opensAt", Instant.now().plusSeconds(9000).toString())));
    try (Browser phone = Browser.start(390, 844)) {
      phone.open(server.base() + "/q/room-later/later");
      phone.awaitVisible("#room-info", SHORT);
      assertThat(phone.text("#schedule-label")).isEqualTo("You can join in");
      assertThat(phone.text("#schedule-countdown")).matches("(1:59:[0-5]\\d|2:00:00)");
      assertThat(phone.text("#schedule-when")).startsWith("Joining opens ");
      assertThat(phone.driver().findElement(By.id("join-button")).isEnabled()).isFalse();
      assertThat(phone.visible("#message")).as("the countdown says it all").isFalse();
    }
  }

  @Test
  void aRoomThatOpensSoonTakesTheJoinWhenItOpens() {
    Staff staff = server.tenant("room-soon");
    staff.queue("soon", room(new JsonObject().put("newUsersPerMinute", 60).put("queueAll", true)
        .put("opensAt", Instant.now().plusSeconds(5).toString())));
    try (Browser phone = Browser.start(390, 844)) {
      phone.open(server.base() + "/q/room-soon/soon");
      phone.awaitVisible("#room-info", SHORT);
      assertThat(phone.text("#schedule-label")).isEqualTo("You can join in");
      assertThat(phone.driver().findElement(By.id("join-button")).isEnabled()).isFalse();
      phone.screenshot("room-3-not-open");
      // no reload: at the opening the page asks again and the form takes the join
      phone.await(Duration.ofSeconds(30), "the form opens", d -> !phone.visible("#room-info")
          && phone.driver().findElement(By.id("join-button")).isEnabled());
      phone.find("#join-button").click();
      phone.awaitText("#position", "1", SHORT);
      assertThat(phone.text("#eta")).as("the emergency switch holds everyone")
          .isEqualTo("Nobody is being let in right now. Your place is kept.");
    }
  }

  @Test
  void aClosedRoomSaysComeBackLater() {
    Staff staff = server.tenant("room-shut");
    staff.queue("shut", room(new JsonObject().put("queueingMethod", "reject")));
    try (Browser phone = Browser.start(390, 844)) {
      phone.open(server.base() + "/q/room-shut/shut");
      phone.awaitText("#message", "This waiting room is closed. Please come back later.", SHORT);
      assertThat(phone.driver().findElement(By.id("join-button")).isEnabled()).isFalse();
      assertThat(phone.visible("#room-info")).isFalse();
    }
  }
}
