package dev.virtualqueue.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Browser;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A private board opened without its display key, or with a wrong one, says so and stops instead of
 * showing "Reconnecting…" for ever; the access check it relies on answers like the board socket.
 */
class BoardKeyIT {
  private static final Duration SHORT = Duration.ofSeconds(5);
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static Staff staff;
  private static String queueId;
  private static String key;

  @BeforeAll
  static void start() {
    staff = server.tenant("boards");
    queueId = staff.queue("hall").getString("id");
    key = staff.call("POST", "/api/v1/queues/" + queueId + "/display-key").json().getString("key");
  }

  private static Resp access(String id, String... headers) {
    return server.http("GET", "/api/v1/public/boards/" + id + "/access", null, headers);
  }

  @Test
  void theAccessCheckAnswersLikeTheBoardSocket() {
    assertThat(access(queueId).json().getString("code")).isEqualTo("board.key_missing");
    assertThat(access(queueId).status()).isEqualTo(401);
    assertThat(access(queueId, "X-Display-Key", "vqd_wrong").json().getString("code")).isEqualTo("board.invalid_key");
    assertThat(access(queueId, "X-Display-Key", key).status()).isEqualTo(204);
    assertThat(access(UUID.randomUUID().toString()).status()).isEqualTo(404);
    String open = staff.queue("open").getString("id");
    assertThat(access(open).status()).as("a public board").isEqualTo(204);
  }

  @Test
  void withoutTheKeyTheBoardSaysItNeedsOneAndStopsRetrying() throws Exception {
    try (Browser board = Browser.start(1280, 720)) {
      board.open(server.base() + "/board/" + queueId);
      board.await(SHORT, "refused", d -> "refused".equals(board.js("return document.body.dataset.conn")));
      assertThat(board.text("#hint")).contains("private and needs the queue’s display key")
          .contains("/board/" + queueId + "#key=");
      assertThat(board.visible("#hint")).isTrue();
      assertThat(board.text("#conn")).isEqualTo("Not connected");
      board.screenshot("board-3-needs-key");
      // stopped for good: no more attempts, no "Reconnecting…"
      long requests = (Long) board.js("return performance.getEntriesByType('resource').length");
      Thread.sleep(2_500); // unstopped, the backoff would have tried (and asked) at least twice by now
      assertThat(board.text("#conn")).isEqualTo("Not connected");
      assertThat((Long) board.js("return performance.getEntriesByType('resource').length")).isEqualTo(requests);
    }
  }

  @Test
  void aWrongKeySaysSoAndTheRightOneIsKeptOnTheDevice() {
    try (Browser board = Browser.start(1280, 720)) {
      board.open(server.base() + "/board/" + queueId + "#key=vqd_wrong");
      board.await(SHORT, "refused", d -> "refused".equals(board.js("return document.body.dataset.conn")));
      assertThat(board.text("#hint")).startsWith("Wrong display key");

      board.open(server.base() + "/board/" + queueId + "#key=" + key);
      board.await(SHORT, "connected", d -> "open".equals(board.js("return document.body.dataset.conn")));
      assertThat(board.js("return location.hash")).isEqualTo("");
      board.driver().navigate().refresh();
      board.await(SHORT, "connected again after a reload", d -> "open".equals(
          board.js("return document.body.dataset.conn")));
    }
  }
}
