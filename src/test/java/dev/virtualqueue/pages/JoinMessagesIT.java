package dev.virtualqueue.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Browser;
import dev.virtualqueue.testing.MailSink;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.Select;

/**
 * The join page in headless Chromium with e-mail on: the person gives an address and chooses when
 * to be told ("when 1 is ahead of me", "10 minutes before my turn", or the line's default), which
 * the join sends as notifyAhead / notifyMinutes; the live link of the message opens the ticket on
 * the page (watch only). With e-mail off the page asks for no address and says messages are off.
 */
class JoinMessagesIT {
  private static final Duration SHORT = Duration.ofSeconds(10);
  private static final MailSink SINK = MailSink.onFreePort();
  private static final Pattern LIVE = Pattern.compile(Pattern.quote(MailSink.PUBLIC_URL) + "(/q/\\S+)");

  @RegisterExtension
  static final TestServer server = TestServer.perClass(SINK.env());
  private static Staff staff;

  @BeforeAll
  static void setUp() {
    SINK.start();
    staff = server.tenant("pagemail");
    staff.queue("desk", new JsonObject().put("notifyMinutes", 20));
  }

  @AfterAll
  static void tearDown() {
    SINK.close();
  }

  private static String stored(String email, String column) {
    return String.valueOf(server.count("SELECT coalesce(" + column + ", -1) FROM tickets WHERE email = '" + email + "'"));
  }

  @Test
  void thePersonChoosesWhenToBeToldAndTheMessagesLiveLinkOpensTheTicket() {
    try (Browser phone = Browser.start(390, 844)) {
      phone.open(server.base() + "/q/pagemail/desk");
      phone.awaitVisible("#email", SHORT);
      assertThat(phone.visible("#email-off")).isFalse();
      phone.screenshot("join-messages");
      Select when = new Select(phone.find("#notify-when"));
      List<String> options = when.getOptions().stream().map(o -> o.getText()).toList();
      assertThat(options).contains("The line’s default (3 ahead or 20 min before)",
          "When 1 is ahead of me", "10 minutes before my turn");
      phone.find("#email").sendKeys("page@example.test");
      when.selectByVisibleText("10 minutes before my turn");
      phone.find("#join-button").click();
      phone.awaitVisible("#watch-view", SHORT);
      String code = phone.text("#code");
      assertThat(stored("page@example.test", "notify_minutes")).isEqualTo("10");
      assertThat(stored("page@example.test", "notify_ahead")).isEqualTo("-1");
      assertThat(phone.visible("#leave-button")).isTrue();

      Matcher live = LIVE.matcher(MailSink.part(SINK.await("page@example.test", 1).get(0), "text/plain"));
      assertThat(live.find()).isTrue();
      phone.js("localStorage.clear()");
      phone.open("about:blank"); // a new load: the same page with another fragment would only change the hash
      phone.open(server.base() + live.group(1));
      phone.awaitText("#code", code, SHORT);
      phone.awaitText("#position", "1", SHORT);
      assertThat(phone.visible("#leave-button")).as("a message's link watches, it cannot leave").isFalse();
    }
  }

  @Test
  void theLinesDefaultSendsNoThreshold() {
    try (Browser phone = Browser.start(390, 844)) {
      phone.open(server.base() + "/q/pagemail/desk");
      phone.awaitVisible("#email", SHORT);
      phone.find("#email").sendKeys("default@example.test");
      phone.find("#join-button").click();
      phone.awaitVisible("#watch-view", SHORT);
      assertThat(stored("default@example.test", "notify_minutes")).isEqualTo("-1");
      assertThat(stored("default@example.test", "notify_ahead")).isEqualTo("-1");
    }
  }

  @Test
  void withEmailOffThePageAsksForNoAddress() {
    try (TestServer off = TestServer.start(); Browser phone = Browser.start(390, 844)) {
      off.tenant("nomail").queue("desk");
      assertThat(off.http("GET", "/api/v1/public/nomail/queues/desk", null).json().getBoolean("emailMessages"))
          .isFalse();
      phone.open(off.base() + "/q/nomail/desk");
      phone.awaitVisible("#email-off", SHORT);
      assertThat(phone.text("#email-off")).contains("does not send messages");
      assertThat(phone.visible("#email")).isFalse();
      assertThat(phone.visible("#notify-when")).isFalse();
      phone.find("#join-button").click();
      phone.awaitVisible("#watch-view", SHORT);
    }
  }
}
