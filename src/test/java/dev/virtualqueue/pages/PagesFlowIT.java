package dev.virtualqueue.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Browser;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.interactions.Actions;

/**
 * The main story in real browsers: two people join on their phones, staff calls next in the
 * console, the first sees "Go to Counter 3", the second moves to place 1 within a second, and the
 * board in the room shows the call. Accessibility of the join page and the board is checked with
 * axe-core along the way; screenshots of each state land in target/screenshots.
 */
class PagesFlowIT {
  private static final Duration SHORT = Duration.ofSeconds(5);
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static Staff staff;
  private static String queueId;

  @BeforeAll
  static void start() {
    staff = server.tenant("flow");
    queueId = staff.queue("front-desk", new JsonObject().put("ticketPrefix", "A")).getString("id");
    staff.openCounter(queueId, "Counter 3");
  }

  private static String joinUrl(String host) {
    return server.base().replace("127.0.0.1", host) + "/q/flow/front-desk";
  }

  @Test
  void joinCallAndBoard() {
    try (Browser ada = Browser.start(390, 844); Browser bob = Browser.start(390, 844);
         Browser desk = Browser.start(1280, 800)) {
      // the board in the room
      desk.open(server.base() + "/board/" + queueId);
      desk.await(SHORT, "board connected", d -> "open".equals(desk.js("return document.body.dataset.conn")));
      String board = desk.driver().getWindowHandle();

      adaJoins(ada);
      // Bob joins on another phone (another origin: its own storage)
      bobJoins(bob);
      desk.awaitText("#waiting", "2", SHORT);
      desk.screenshot("board-1-waiting");

      // staff signs in to the console in another window of the desk browser
      desk.driver().switchTo().newWindow(WindowType.WINDOW);
      String console = desk.driver().getWindowHandle();
      signIn(desk);
      callNextReachesBothPhones(desk, ada, bob);

      desk.driver().switchTo().window(board);
      boardAnnouncesTheCall(desk);

      // staff serves Ada: she sees it end; Bob stays next
      desk.driver().switchTo().window(console);
      serveAda(desk, ada);
    }
  }

  private static void adaJoins(Browser ada) {
    ada.open(joinUrl("127.0.0.1"));
    ada.awaitVisible("#join-form", SHORT);
    ada.awaitContains("#queue-name", "Queue front-desk", SHORT);
    ada.screenshot("join-1-form");
    assertThat(ada.seriousAccessibilityViolations()).as("join form: serious axe violations").isEmpty();
    ada.find("#name").sendKeys("Ada");
    ada.find("#join-button").click();
    ada.awaitText("#position", "1", SHORT);
    assertThat(ada.text("#code")).isEqualTo("A001");
    ada.await(SHORT, "ticket socket open", d -> "open".equals(ada.js("return document.body.dataset.conn")));
  }

  private static void bobJoins(Browser bob) {
    bob.open(joinUrl("localhost"));
    bob.find("#join-button").click();
    bob.awaitText("#position", "2", SHORT);
    bob.await(SHORT, "ticket socket open", d -> "open".equals(bob.js("return document.body.dataset.conn")));
    assertThat(bob.text("#ahead")).isEqualTo("1 person ahead of you");
    bob.screenshot("join-2-waiting");
    assertThat(bob.seriousAccessibilityViolations()).as("join waiting: serious axe violations").isEmpty();
  }

  private static void signIn(Browser desk) {
    desk.open(server.base() + "/staff");
    desk.find("#tenant").sendKeys("flow");
    desk.find("#email").sendKeys("owner@flow.test");
    desk.find("#password").sendKeys("correct-horse-flow");
    desk.find("#login-button").click();
    desk.awaitContains("#counter-status", "Counter 3: Open", SHORT);
    desk.awaitText("#waiting tr:first-child td:first-child", "A001", SHORT);
    desk.screenshot("staff-1-ready");
  }

  private static void callNextReachesBothPhones(Browser desk, Browser ada, Browser bob) {
    desk.find("#call-next").click();
    long clicked = System.nanoTime();
    bob.awaitText("#position", "1", Duration.ofSeconds(1));
    long bobMovedMs = (System.nanoTime() - clicked) / 1_000_000;
    ada.awaitVisible("#called", Duration.ofSeconds(1));
    assertThat(ada.text("#called-title")).isEqualTo("Go to Counter 3");
    assertThat(ada.text("#called-code")).isEqualTo("A001");
    assertThat(bob.text("#ahead")).isEqualTo("You are next");
    System.out.printf("second person saw place 1 %d ms after the click on Call next%n", bobMovedMs);
    ada.screenshot("join-3-called");
    bob.screenshot("join-4-next");
    desk.awaitContains("#current-code", "A001", SHORT);
    desk.screenshot("staff-2-called");
    assertThat(desk.seriousAccessibilityViolations()).as("staff console: serious axe violations").isEmpty();
    // an API refusal is shown as the server words it (the button is disabled; force it to ask anyway)
    desk.js("document.querySelector('#call-next').disabled = false");
    desk.find("#call-next").click();
    desk.awaitContains("#message", "(counter.busy)", SHORT);
  }

  private static void boardAnnouncesTheCall(Browser desk) {
    desk.awaitContains("#serving", "A001", SHORT);
    assertThat(desk.text("#serving")).contains("Counter 3");
    assertThat(desk.visible("#announce")).isTrue();
    assertThat(desk.text("#announce")).isEqualTo("A001, please go to Counter 3");
    assertThat(desk.text("#recent")).contains("A001");
    desk.awaitText("#waiting", "1", SHORT);
    desk.screenshot("board-2-call");
    assertThat(desk.seriousAccessibilityViolations()).as("board: serious axe violations").isEmpty();
  }

  private static void serveAda(Browser desk, Browser ada) {
    desk.find("#start").click();
    ada.awaitContains("#status", "You are being served at Counter 3", SHORT);
    assertThat(ada.visible("#called")).isFalse();
    desk.awaitContains("#current-info", "Being served", SHORT);
    desk.find("#complete").click();
    ada.awaitVisible("#done-view", SHORT);
    assertThat(ada.text("#done-text")).isEqualTo("You have been served. Thank you!");
    ada.screenshot("join-5-served");
    desk.awaitContains("#notice", "A001 is Served", SHORT);
    desk.screenshot("staff-3-served");
  }

  @Test
  void leavingAsksFirstAndThenFreesThePlace() {
    String side = staff.queue("side").getString("id");
    try (Browser eve = Browser.start(390, 844)) {
      eve.open(server.base() + "/q/flow/side");
      // keyboard only: the first Tab reaches the name field, Enter submits the form
      eve.awaitVisible("#join-form", SHORT);
      new Actions(eve.driver()).sendKeys(Keys.TAB).perform();
      assertThat(eve.js("return document.activeElement.id")).isEqualTo("name");
      new Actions(eve.driver()).sendKeys("Eve", Keys.ENTER).perform();
      eve.awaitVisible("#watch-view", SHORT);
      String code = eve.text("#code");
      eve.find("#leave-button").click();
      eve.awaitVisible("#leave-dialog", SHORT);
      eve.screenshot("join-6-leave-confirm");
      assertThat(eve.js("return document.activeElement.id")).as("focus starts on the safe choice").isEqualTo("leave-keep");
      new Actions(eve.driver()).sendKeys(Keys.ESCAPE).perform();
      eve.await(SHORT, "dialog closed by Escape", d -> !eve.visible("#leave-dialog"));
      assertThat(eve.visible("#watch-view")).as("still in line after Escape").isTrue();
      eve.find("#leave-button").click();
      eve.find("#leave-confirm").click();
      eve.awaitText("#done-text", "You left the line.", SHORT);
      assertThat(staff.call("GET", "/api/v1/queues/" + side + "/tickets").body()).doesNotContain(code);
    }
  }
}
