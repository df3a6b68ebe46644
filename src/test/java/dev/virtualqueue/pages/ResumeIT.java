package dev.virtualqueue.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Browser;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A person's page survives a reload and a server restart (network loss, for the page): it finds its
 * ticket again, reconnects by itself and shows what happened meanwhile, with no one touching it.
 */
class ResumeIT {
  private static final Duration SHORT = Duration.ofSeconds(5);
  // the page keeps its address across the restart, so the server must come back on the same port
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("VQ_HTTP_PORT", Integer.toString(freePort())));
  private static Staff staff;
  private static String counter;

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeAll
  static void start() {
    staff = server.tenant("resume");
    String queueId = staff.queue("desk", new JsonObject().put("ticketPrefix", "R")).getString("id");
    counter = staff.openCounter(queueId, "Counter 2");
  }

  private static Object conn(Browser b) {
    return b.js("return document.body.dataset.conn");
  }

  @Test
  void reloadAndServerRestartResyncWithoutUserAction() {
    JsonObject first = staff.join("desk");
    JsonObject second = staff.join("desk");
    try (Browser phone = Browser.start(390, 844)) {
      phone.open(server.base() + "/q/resume/desk");
      phone.find("#join-button").click();
      phone.awaitText("#position", "3", SHORT);
      String code = phone.text("#code");

      // reload: same ticket, same place, live again
      phone.driver().navigate().refresh();
      phone.awaitText("#position", "3", SHORT);
      assertThat(phone.text("#code")).isEqualTo(code);
      phone.await(SHORT, "live after reload", d -> "open".equals(conn(phone)));

      // the server goes away: the page says so
      server.stop();
      phone.await(SHORT, "reconnecting shown", d -> "reconnecting".equals(conn(phone)));
      assertThat(phone.text("#conn")).isEqualTo("Reconnecting…");
      phone.screenshot("join-7-reconnecting");

      // it comes back; meanwhile the line moved: one person left, one was called
      server.restart();
      Staff again = new Staff(server, "resume", server.login("resume", "owner@resume.test", "correct-horse-resume"));
      assertThat(server.http("DELETE", "/api/v1/tickets/" + first.getString("id"), null,
          "X-Ticket-Token", first.getString("token")).status()).isEqualTo(200);
      assertThat(again.callNext(counter).json().getString("id")).isEqualTo(second.getString("id"));

      phone.await(Duration.ofSeconds(15), "live again after the restart", d -> "open".equals(conn(phone)));
      phone.awaitText("#position", "1", SHORT);
      assertThat(phone.text("#ahead")).isEqualTo("You are next");

      // and it keeps following: called now
      again.call("POST", "/api/v1/tickets/" + second.getString("id") + "/no-show");
      again.callNext(counter);
      phone.awaitText("#called-title", "Go to Counter 2", SHORT);
      assertThat(phone.visible("#called")).isTrue();
    }
  }
}
