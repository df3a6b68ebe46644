package dev.virtualqueue.pages;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import dev.virtualqueue.testing.Browser;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.OutputType;

/**
 * The kiosk, let in by the queue's display key, issues a ticket of a staff-only class, prints it,
 * and its QR code (read back from a screenshot with ZXing) opens the join page on that ticket.
 */
class KioskIT {
  private static final Duration SHORT = Duration.ofSeconds(5);
  private static final Pattern LINK = Pattern.compile("^(.*)/q/kiosk/lobby#t=([0-9a-f-]{36})\\.([A-Za-z0-9_-]+)$");
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static String key;
  private static String queueId;

  @BeforeAll
  static void start() {
    Staff staff = server.tenant("kiosk");
    JsonArray classes = new JsonArray()
        .add(new JsonObject().put("name", "appointment").put("selfService", false))
        .add(new JsonObject().put("name", "walk-in").put("selfService", true));
    queueId = staff.queue("lobby", new JsonObject().put("ticketPrefix", "K").put("priorityClasses", classes))
        .getString("id");
    staff.openCounter(queueId, "Desk 1");
    key = staff.call("POST", "/api/v1/queues/" + queueId + "/display-key").json().getString("key");
  }

  @Test
  void issuesAndPrintsATicketWhoseQrCodeOpensItsJoinPage() throws Exception {
    try (Browser kiosk = Browser.start(1080, 1300)) {
      kiosk.open(server.base() + "/kiosk/kiosk/lobby#key=" + key);
      kiosk.awaitVisible("#start-view", SHORT);
      assertThat(kiosk.js("return location.hash")).as("key removed from the address bar").isEqualTo("");
      assertThat(kiosk.text("#choices")).contains("appointment").contains("walk-in");
      kiosk.screenshot("kiosk-1-start");
      assertThat(kiosk.seriousAccessibilityViolations()).as("kiosk: serious axe violations").isEmpty();
      kiosk.js("window.printed = 0; const real = window.print.bind(window);"
          + " window.print = () => { window.printed++; real(); };");

      kiosk.find("#choices button[data-class='appointment']").click();
      kiosk.awaitVisible("#ticket-view", SHORT);
      String code = kiosk.text("#ticket-code");
      assertThat(code).isEqualTo("K001");
      assertThat(kiosk.text("#ticket")).contains("Queue lobby").contains("Taken at");
      assertThat(kiosk.js("return window.printed")).isEqualTo(1L);
      kiosk.screenshot("kiosk-2-ticket");

      String link = decodeQr(kiosk);
      Matcher m = LINK.matcher(link);
      assertThat(m.matches()).as("QR link %s", link).isTrue();
      assertThat(m.group(1)).isEqualTo(server.base());
      Resp held = server.http("GET", "/api/v1/tickets/" + m.group(2), null, "X-Ticket-Token", m.group(3));
      assertThat(held.status()).isEqualTo(200);
      assertThat(held.json().getString("code")).isEqualTo(code);
      assertThat(held.json().getString("priority")).isEqualTo("appointment");

      try (Browser phone = Browser.start(390, 844)) {
        phone.open(link);
        phone.awaitText("#code", code, SHORT);
        phone.awaitText("#position", "1", SHORT);
        assertThat(phone.js("return location.hash")).as("token removed from the address bar").isEqualTo("");
      }

      kiosk.awaitVisible("#start-view", Duration.ofSeconds(12));
    }
  }

  @Test
  void aWrongKeyIsRefusedAndTheKioskAsksToBeSetUp() {
    try (Browser kiosk = Browser.start(1080, 1300)) {
      kiosk.open(server.base() + "/kiosk/kiosk/lobby#key=vqd_wrong");
      kiosk.awaitVisible("#setup-view", SHORT);
      assertThat(kiosk.text("#message")).isEqualTo("The display key in the address is not valid for this queue.");
      kiosk.screenshot("kiosk-3-setup");
      Resp r = server.http("POST", "/api/v1/public/kiosk/queues/lobby/tickets",
          new JsonObject().put("priority", "appointment").encode(), "X-Display-Key", "vqd_wrong");
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.json().getString("code")).isEqualTo("kiosk.invalid_key");
    }
  }

  @Test
  void aBoardOfAQueueWithADisplayKeyNeedsIt() {
    try (Browser board = Browser.start(1280, 720)) {
      board.open(server.base() + "/board/" + queueId);
      board.awaitVisible("#hint", Duration.ofSeconds(10));
      assertThat(board.text("#hint")).startsWith("This board is private and needs the queue’s display key");
      assertThat(board.text("#conn")).as("stopped, not reconnecting for ever").isEqualTo("Not connected");
      board.open("about:blank").open(server.base() + "/board/" + queueId + "#key=" + key);
      board.await(SHORT, "board live with its key", d -> "open".equals(board.js("return document.body.dataset.conn")));
      board.awaitText("#queue-name", "Queue lobby", SHORT);
      assertThat(board.js("return location.hash")).isEqualTo("");
    }
  }

  private static String decodeQr(Browser kiosk) throws Exception {
    byte[] png = kiosk.find("#qr svg").getScreenshotAs(OutputType.BYTES);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)));
    return new MultiFormatReader().decode(bitmap).getText();
  }
}
