package dev.virtualqueue.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.server.PageRoutes;
import dev.virtualqueue.testing.Browser;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /} is a small start page (not a JSON 404) that leads to every page of a queue. */
class LandingPageIT {
  private static final Duration SHORT = Duration.ofSeconds(5);
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static String queueId;

  @BeforeAll
  static void start() {
    Staff staff = server.tenant("start");
    queueId = staff.queue("hall").getString("id");
  }

  @Test
  void theRootIsAnHtmlPageWithThePagesPolicy() {
    Resp r = server.http("GET", "/", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/html");
    assertThat(r.header("Content-Security-Policy")).isEqualTo(PageRoutes.PAGE_CSP);
    assertThat(r.body()).contains("href=\"/staff\"").contains("/assets/landing.js");
  }

  @Test
  void itLinksTheStaffConsoleAndEveryPageOfAQueue() {
    try (Browser b = Browser.start(1024, 800)) {
      b.open(server.base() + "/");
      assertThat(b.text("#staff-link")).isEqualTo("Staff console (sign in)");
      b.find("#tenant").sendKeys("start");
      b.find("#queue").sendKeys("nope");
      b.awaitText("#queue-message", "No such queue in this organisation.", SHORT);
      b.find("#queue").clear();
      b.find("#queue").sendKeys("hall");
      b.awaitVisible("#queue-links", SHORT);
      assertThat(b.js("return document.querySelector('#join-link').getAttribute('href')")).isEqualTo("/q/start/hall");
      assertThat(b.js("return document.querySelector('#kiosk-link').getAttribute('href')"))
          .isEqualTo("/kiosk/start/hall");
      assertThat(b.js("return document.querySelector('#board-link').getAttribute('href')"))
          .isEqualTo("/board/" + queueId);
      b.screenshot("landing-1");
      assertThat(b.seriousAccessibilityViolations()).as("start page: serious axe violations").isEmpty();

      b.find("#board-link").click();
      b.await(SHORT, "the board connects", d -> "open".equals(b.js("return document.body.dataset.conn")));
      b.open(server.base() + "/");
      assertThat(b.js("return document.querySelector('#queue').value")).as("kept on the device").isEqualTo("hall");
      b.find("#staff-link").click();
      b.awaitVisible("#login-view", SHORT);
    }
  }
}
