package dev.virtualqueue.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Browser;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.SiteServer;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real admission in headless Chromium: the join page says "You are in" and, after 3 s, takes
 * the person to the room's targetUrl (a site on its own origin) with the access token in the
 * fragment only; gate.js there reads it, and the queue server's verify route finds it active.
 * "Cancel" keeps the person on the page with the link; without a target the page says "You are
 * in", and that the time is over once the site has released the session.
 */
class AdmissionRedirectIT {
  static final Duration SHORT = Duration.ofSeconds(10);
  static final String AUDIENCE = "https://shop.example.test";
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static final SiteServer SITE = SiteServer.start();
  static Staff staff;

  @BeforeAll
  static void setUp() {
    staff = server.tenant("room-go");
    for (String room : new String[] {"go", "stay"}) {
      SITE.page("/" + room, "<!doctype html><html lang=\"en\"><head><title>Shop</title><script src=\"" + server.base()
          + "/assets/gate.js\" data-join-url=\"" + server.base() + "/q/room-go/" + room + "\" data-audience=\"" + AUDIENCE
          + "\"></script></head><body><h1 id=\"shop\">The shop</h1></body></html>");
      staff.queue(room, room(SITE.base() + "/" + room));
    }
    staff.queue("plain", room(null));
  }

  @AfterAll
  static void tearDown() {
    SITE.close();
  }

  /** A room that lets people in at once (up to 10 at a time), sending them to {@code target}. */
  static JsonObject room(String target) {
    JsonObject settings = new JsonObject().put("queueingMethod", "passthrough").put("maxActiveUsers", 10)
        .put("audience", AUDIENCE);
    if (target != null) {
      settings.put("targetUrl", target);
    }
    return new JsonObject().put("mode", "waiting_room").put("waitingRoom", settings);
  }

  static String ticketId(Browser b, String queue) {
    return new JsonObject(String.valueOf(b.js("return localStorage.getItem(arguments[0])", "vq.ticket.room-go/" + queue)))
        .getString("id");
  }

  @Test
  void admissionTakesThePersonToTheSiteWithTheTokenInTheFragment() {
    try (Browser phone = Browser.start(390, 844)) {
      phone.open(server.base() + "/q/room-go/go");
      phone.find("#join-button").click();
      phone.awaitVisible("#admitted-view", SHORT);
      long shown = System.nanoTime();
      String ticket = ticketId(phone, "go");
      assertThat(phone.text("#admitted-title")).isEqualTo("You are in");
      assertThat(phone.text("#redirect-note")).isEqualTo("Taking you there in 3 s…");
      assertThat(phone.find("#go-now").getAttribute("href")).startsWith(SITE.base() + "/go#vq_access_token=ey");
      assertThat(phone.text("#valid-until")).startsWith("Your access lasts until ");
      phone.screenshot("room-4-admitted");
      assertThat(phone.seriousAccessibilityViolations()).as("admitted: serious axe violations").isEmpty();

      phone.await(SHORT, "at the site", d -> phone.driver().getCurrentUrl().startsWith(SITE.base() + "/go"));
      assertThat((System.nanoTime() - shown) / 1_000_000).as("ms until the redirect").isGreaterThan(2_000);
      phone.awaitText("#shop", "The shop", SHORT);
      assertThat(phone.js("return location.hash")).as("gate.js took the token out of the address bar").isEqualTo("");
      assertThat(phone.js("return VirtualQueueGate.claims().sub")).isEqualTo(ticket);
      assertThat(phone.js("return VirtualQueueGate.claims().aud")).isEqualTo(AUDIENCE);
      String token = String.valueOf(phone.js("return VirtualQueueGate.token()"));
      phone.screenshot("room-5-at-the-site");

      Resp verified = staff.call("POST", "/api/v1/access-tokens/verify", new JsonObject().put("token", token)
          .put("audience", AUDIENCE).encode());
      assertThat(verified.status()).as(verified.body()).isEqualTo(200);
      assertThat(verified.json().getBoolean("active")).isTrue();
      assertThat(verified.json().getString("sub")).isEqualTo(ticket);
      assertThat(SITE.requests()).as("the site's server never saw the token")
          .allSatisfy(r -> assertThat(r.uri() + r.body()).doesNotContain(token).doesNotContain("vq_access_token"));
    }
  }

  @Test
  void cancelKeepsThePersonOnThePageWithTheLink() throws InterruptedException {
    try (Browser phone = Browser.start(390, 844)) {
      phone.open(server.base() + "/q/room-go/stay");
      phone.find("#join-button").click();
      phone.find("#stay-button").click();
      assertThat(phone.text("#redirect-note")).isEqualTo("Go whenever you are ready.");
      assertThat(phone.js("return document.activeElement.id")).isEqualTo("go-now");
      Thread.sleep(4_000); // longer than the redirect delay: nothing may happen
      assertThat(phone.driver().getCurrentUrl()).isEqualTo(server.base() + "/q/room-go/stay");
      String ticket = ticketId(phone, "stay");
      phone.find("#go-now").click();
      phone.awaitText("#shop", "The shop", SHORT);
      assertThat(phone.js("return VirtualQueueGate.claims().sub")).isEqualTo(ticket);
    }
  }

  @Test
  void withoutATargetThePageSaysYouAreInUntilTheSessionEnds() {
    try (Browser phone = Browser.start(390, 844)) {
      phone.open(server.base() + "/q/room-go/plain");
      phone.find("#join-button").click();
      phone.awaitVisible("#admitted-view", SHORT);
      phone.awaitContains("#valid-until", "Your access lasts until ", SHORT);
      assertThat(phone.visible("#go-now")).isFalse();
      assertThat(phone.visible("#stay-button")).isFalse();
      // a reload comes back to the same state: the ticket is kept while the session lasts
      phone.driver().navigate().refresh();
      phone.awaitContains("#valid-until", "Your access lasts until ", SHORT);
      JsonObject view = server.http("GET", "/api/v1/tickets/" + ticketId(phone, "plain"), null, "X-Ticket-Token",
          new JsonObject(String.valueOf(phone.js("return localStorage.getItem('vq.ticket.room-go/plain')")))
              .getString("token")).json();
      Resp released = staff.call("POST", "/api/v1/access-tokens/release",
          new JsonObject().put("token", view.getJsonObject("access").getString("accessToken")).encode());
      assertThat(released.json().getBoolean("released")).as(released.body()).isTrue();
      phone.driver().navigate().refresh();
      phone.awaitText("#done-text", "Your time to enter has ended. Join again if you still want to go in.", SHORT);
    }
  }

  @Test
  void thePersonCanEndTheirAccessAndTheSlotGoesToTheNext() {
    try (Browser phone = Browser.start(390, 844)) {
      phone.open(server.base() + "/q/room-go/plain");
      phone.find("#join-button").click();
      phone.awaitContains("#valid-until", "Your access lasts until ", SHORT);
      String ticket = ticketId(phone, "plain");
      phone.find("#release-button").click();
      phone.awaitVisible("#release-dialog", SHORT);
      phone.screenshot("room-6-end-access");
      phone.find("#release-keep").click();
      assertThat(phone.visible("#admitted-view")).as("'keep it' changes nothing").isTrue();
      assertThat(server.scalar("SELECT count(*) FROM admission_sessions WHERE ticket_id = '" + ticket
          + "' AND ended_at IS NULL")).isEqualTo("1");

      phone.find("#release-button").click();
      phone.find("#release-confirm").click();
      phone.awaitText("#done-text", "Your access has ended and your place went to the next person. Thank you.", SHORT);
      assertThat(server.scalar("SELECT end_reason FROM admission_sessions WHERE ticket_id = '" + ticket
          + "' AND ended_at IS NOT NULL")).as("the session ended at once").isNotBlank();
      assertThat(phone.js("return localStorage.getItem('vq.ticket.room-go/plain')")).as("ticket forgotten").isNull();
    }
  }
}
