package dev.virtualqueue.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.MailSink;
import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * E-mail to ticket holders through a real SMTP server (GreenMail): both parts and their escaping,
 * the headers, the live link (a capability that opens that ticket only), the stop link (a page,
 * then a POST that stops later messages), called with the counter, and once per ticket and kind.
 */
class MailIT {
  private static final MailSink SINK = MailSink.onFreePort();
  private static final Pattern LIVE = Pattern.compile("https://queue\\.example\\.test/q/[^\\s#]+#t=([0-9a-f-]{36})\\.(\\S+)");
  private static final Pattern STOP = Pattern.compile("https://queue\\.example\\.test(/notifications/stop\\?t=([0-9a-f-]{36})&s=([A-Za-z0-9_-]+))");

  @RegisterExtension
  static final TestServer server = TestServer.perClass(SINK.env());
  private static Staff staff;

  @BeforeAll
  static void setUp() {
    SINK.start();
    staff = server.tenant("mailco");
  }

  /** A queue of one test, with an open counter. */
  private record Desk(String slug, String counterId) {
    static Desk create(String slug) {
      String queueId = staff.queue(slug, new JsonObject().put("name", "Front <desk> & co")).getString("id");
      return new Desk(slug, staff.openCounter(queueId, "Counter <3>"));
    }

    JsonObject join(String email, String name) {
      return staff.join(slug, new JsonObject().put("email", email).put("name", name));
    }

    /** Calls the next ticket, which must be {@code t}. */
    void call(JsonObject t) {
      Resp r = staff.callNext(counterId);
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.json().getString("id")).isEqualTo(t.getString("id"));
    }
  }

  @AfterAll
  static void tearDown() {
    SINK.close();
  }

  @Test
  void theJoinedMessageHasBothPartsEscapedTheHeadersAndAWorkingLiveLink() {
    JsonObject t = Desk.create("zoe").join("zoe@example.test", "Zoë <b>& Co</b>");
    MimeMessage m = SINK.await("zoe@example.test", 1).get(0);
    String id = t.getString("id");
    assertThat(MailSink.subject(m)).isEqualTo("You are in line at Front <desk> & co: ticket " + t.getString("code"));
    String text = MailSink.part(m, "text/plain");
    String html = MailSink.part(m, "text/html");
    assertThat(text).contains("Hello Zoë <b>& Co</b>,", "Your ticket: " + t.getString("code"));
    assertThat(html).contains("Hello Zo\u00eb &lt;b&gt;&amp; Co&lt;/b&gt;,", "Front &lt;desk&gt; &amp; co")
        .doesNotContain("<b>&");
    assertThat(MailSink.header(m, "Message-ID")).isEqualTo("<" + id + ".joined@queue.example.test>");
    assertThat(MailSink.header(m, "List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
    Matcher stop = STOP.matcher(text);
    assertThat(stop.find()).isTrue();
    assertThat(MailSink.header(m, "List-Unsubscribe")).isEqualTo("<" + stop.group(0) + ">");

    Matcher live = LIVE.matcher(text);
    assertThat(live.find()).as(text).isTrue();
    assertThat(live.group(1)).isEqualTo(id);
    String capability = URLDecoder.decode(live.group(2), StandardCharsets.UTF_8);
    assertThat(capability).startsWith("m1.").doesNotContain(t.getString("token"));
    Resp read = server.http("GET", "/api/v1/tickets/" + id, null, "X-Ticket-Token", capability);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().getString("code")).isEqualTo(t.getString("code"));
    // it reads and watches, but cannot leave the line for the holder
    assertThat(server.http("DELETE", "/api/v1/tickets/" + id, null, "X-Ticket-Token", capability).status())
        .isEqualTo(403);
  }

  @Test
  void aCapabilityOpensItsOwnTicketOnly() {
    Desk desk = Desk.create("caps");
    JsonObject a = desk.join("cap-a@example.test", null);
    JsonObject b = desk.join("cap-b@example.test", null);
    String capA = capability(SINK.await("cap-a@example.test", 1).get(0));
    Resp other = server.http("GET", "/api/v1/tickets/" + b.getString("id"), null, "X-Ticket-Token", capA);
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.json().getString("code")).isEqualTo("ticket.invalid_token");
    String forged = capA.substring(0, capA.length() - 2) + (capA.endsWith("AA") ? "BB" : "AA");
    assertThat(server.http("GET", "/api/v1/tickets/" + a.getString("id"), null, "X-Ticket-Token", forged).status())
        .isEqualTo(403);
    assertThat(server.http("GET", "/api/v1/tickets/" + a.getString("id"), null, "X-Ticket-Token", "m1.").status())
        .isEqualTo(403);
  }

  private static String capability(MimeMessage m) {
    Matcher live = LIVE.matcher(MailSink.part(m, "text/plain"));
    assertThat(live.find()).isTrue();
    return URLDecoder.decode(live.group(2), StandardCharsets.UTF_8);
  }

  @Test
  void theStopLinkShowsAPageAndOnlyItsPostStopsLaterMessages() {
    Desk desk = Desk.create("stops");
    JsonObject t = desk.join("stop@example.test", "Stop");
    Matcher stop = STOP.matcher(MailSink.part(SINK.await("stop@example.test", 1).get(0), "text/plain"));
    assertThat(stop.find()).isTrue();
    String path = stop.group(1);
    Resp page = server.http("GET", path, null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body()).contains("<form method=\"post\"", "Stop messages");
    assertThat(stopped(t)).isFalse(); // fetching the link (a scanner) stopped nothing
    String forged = path.substring(0, path.length() - 3) + "AAA";
    Resp bad = server.send("POST", server.base() + forged, "List-Unsubscribe=One-Click".getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/x-www-form-urlencoded");
    assertThat(bad.status()).isEqualTo(403);
    assertThat(bad.contentType()).startsWith("application/problem+json");
    assertThat(server.http("POST", "/notifications/stop?t=nope&s=x", null).status()).isEqualTo(400);
    assertThat(stopped(t)).isFalse();

    Resp ok = server.send("POST", server.base() + path, "List-Unsubscribe=One-Click".getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/x-www-form-urlencoded");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(stopped(t)).isTrue();
    desk.call(t);
    desk.join("stop-marker@example.test", null);
    SINK.await("stop-marker@example.test", 1);
    drained();
    assertThat(SINK.to("stop@example.test")).hasSize(1);
    assertThat(server.count("SELECT count(*) FROM ticket_mails WHERE kind = 'called' AND ticket_id = '"
        + t.getString("id") + "'")).isZero();
  }

  private static boolean stopped(JsonObject t) {
    return server.count("SELECT count(*) FROM tickets WHERE notify_stopped AND id = '" + t.getString("id") + "'") == 1;
  }

  /** Waits until the mail outbox is empty (every row handled). */
  private static void drained() {
    Poll.until(() -> server.count("SELECT count(*) FROM outbox WHERE channel = 'mail'"), n -> n == 0, "mail outbox empty");
  }

  @Test
  void calledNamesTheCounterAndAReplayedOrRedeliveredRowSendsNothingTwice() {
    Desk desk = Desk.create("calls");
    JsonObject t = desk.join("called@example.test", "Cal");
    SINK.await("called@example.test", 1);
    desk.call(t);
    List<MimeMessage> two = SINK.await("called@example.test", 2);
    MimeMessage called = two.stream().filter(m -> MailSink.subject(m).contains("please go to")).findFirst().orElseThrow();
    assertThat(MailSink.subject(called)).isEqualTo("Ticket " + t.getString("code") + ": please go to Counter <3>");
    assertThat(MailSink.part(called, "text/html")).contains("Counter &lt;3&gt;");
    assertThat(MailSink.header(called, "Message-ID")).isEqualTo("<" + t.getString("id") + ".called@queue.example.test>");
    drained();
    // the same events once more: a replay, or a row whose lease ran out after the send
    String id = t.getString("id");
    server.sql("INSERT INTO outbox (channel, tenant_id, queue_id, ticket_id, type, data) SELECT 'mail', tenant_id,"
        + " queue_id, id, type, '{\"counterName\": \"Counter <3>\"}'::jsonb FROM tickets,"
        + " (VALUES ('ticket.created'), ('ticket.called')) AS x(type) WHERE id = '" + id + "'");
    drained();
    assertThat(SINK.to("called@example.test")).hasSize(2);
    assertThat(server.count("SELECT count(*) FROM ticket_mails WHERE state = 'sent' AND ticket_id = '" + id + "'"))
        .isEqualTo(2);
  }

  @Test
  void aSendInterruptedBetweenAcceptAndRecordGoesAgainWithTheSameMessageId() {
    JsonObject t = Desk.create("crash").join("crash@example.test", "Crash");
    SINK.await("crash@example.test", 1);
    drained();
    String id = t.getString("id");
    // as if the process died after the server accepted "called" but before it was recorded
    server.sql("INSERT INTO ticket_mails (ticket_id, kind, tenant_id, state, attempts) SELECT id, 'called', tenant_id,"
        + " 'sending', 1 FROM tickets WHERE id = '" + id + "'");
    server.sql("INSERT INTO outbox (channel, tenant_id, queue_id, ticket_id, type, data) SELECT 'mail', tenant_id,"
        + " queue_id, id, 'ticket.called', '{\"counterName\": \"Counter 9\"}'::jsonb FROM tickets WHERE id = '" + id + "'");
    MimeMessage again = SINK.await("crash@example.test", 2).get(1);
    assertThat(MailSink.header(again, "Message-ID")).isEqualTo("<" + id + ".called@queue.example.test>");
    drained();
    assertThat(server.count("SELECT attempts FROM ticket_mails WHERE kind = 'called' AND ticket_id = '" + id + "'"))
        .isEqualTo(2);
  }

  @Test
  void noShowHasNoLiveLinkAndAdmittedSaysComeIn() {
    Desk desk = Desk.create("absent");
    JsonObject t = desk.join("absent@example.test", "Abs");
    SINK.await("absent@example.test", 1);
    desk.call(t);
    SINK.await("absent@example.test", 2);
    assertThat(staff.call("POST", "/api/v1/tickets/" + t.getString("id") + "/no-show").status()).isEqualTo(200);
    MimeMessage noShow = SINK.await("absent@example.test", 3).get(2);
    assertThat(MailSink.subject(noShow)).isEqualTo("We missed you at Front <desk> & co");
    assertThat(MailSink.part(noShow, "text/plain")).contains("could not find you").doesNotContain("#t=");

    // no route admits yet (waiting rooms come later): the row as the outbox writer would make it
    JsonObject w = desk.join("admitted@example.test", "Adm");
    SINK.await("admitted@example.test", 1);
    server.sql("INSERT INTO outbox (channel, tenant_id, queue_id, ticket_id, type, data) SELECT 'mail', tenant_id,"
        + " queue_id, id, 'ticket.admitted', '{}'::jsonb FROM tickets WHERE id = '" + w.getString("id") + "'");
    MimeMessage in = SINK.await("admitted@example.test", 2).get(1);
    assertThat(MailSink.subject(in)).isEqualTo("You are in: Front <desk> & co");
  }
}
