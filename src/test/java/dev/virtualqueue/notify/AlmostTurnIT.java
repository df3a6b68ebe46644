package dev.virtualqueue.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.MailSink;
import dev.virtualqueue.testing.Poll;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Almost your turn" through real SMTP: by people ahead (the queue's default), by p50 ETA (the
 * person's own choice), once, and covered by the joined message when already due at join; and a
 * queue's own wording of subject and intro, set through the queue API and validated.
 */
class AlmostTurnIT {
  private static final MailSink SINK = MailSink.onFreePort();

  @RegisterExtension
  static final TestServer server = TestServer.perClass(SINK.env());
  private static Staff staff;

  @BeforeAll
  static void setUp() {
    SINK.start();
    staff = server.tenant("almostco");
  }

  @AfterAll
  static void tearDown() {
    SINK.close();
  }

  private static String[] queue(String slug, JsonObject extra) {
    String id = staff.queue(slug, extra).getString("id");
    return new String[] {id, staff.openCounter(id, "Desk 1")};
  }

  private static JsonObject join(String slug, String email, JsonObject extra) {
    return staff.join(slug, new JsonObject().put("email", email).mergeIn(extra));
  }

  /** Serves whoever is at the counter, then calls the next ticket; true when one was called. */
  private static boolean next(String counterId) {
    Resp current = staff.call("GET", "/api/v1/counters/" + counterId);
    JsonObject serving = current.json().getJsonObject("current");
    if (serving != null) {
      staff.call("POST", "/api/v1/tickets/" + serving.getString("id") + "/start");
      staff.call("POST", "/api/v1/tickets/" + serving.getString("id") + "/complete");
    }
    return staff.callNext(counterId).status() == 200;
  }

  private static void drained() {
    Poll.until(() -> server.count("SELECT count(*) FROM outbox WHERE channel = 'mail'"), n -> n == 0, "mail outbox empty");
  }

  private static List<String> subjects(String address) {
    return SINK.to(address).stream().map(MailSink::subject).toList();
  }

  @Test
  void byPeopleAheadOnceAndCoveredByTheJoinedMessageWhenAlreadyDue() {
    String[] q = queue("ahead", new JsonObject().put("notifyAhead", 1));
    join("ahead", "a0@example.test", new JsonObject());
    join("ahead", "a1@example.test", new JsonObject());
    join("ahead", "a2@example.test", new JsonObject());
    join("ahead", "a3@example.test", new JsonObject());
    SINK.await("a3@example.test", 1);
    drained();
    // a0 (0 ahead) and a1 (1 ahead) were due at join: their joined message covered it
    assertThat(subjects("a0@example.test")).hasSize(1);
    assertThat(subjects("a1@example.test")).hasSize(1);
    assertThat(server.count("SELECT count(*) FROM ticket_mails WHERE kind = 'almost_turn' AND state = 'skipped'"))
        .isGreaterThanOrEqualTo(2);
    assertThat(subjects("a2@example.test")).hasSize(1);

    assertThat(next(q[1])).isTrue(); // a2 now has 1 ahead
    List<MimeMessage> a2 = SINK.await("a2@example.test", 2);
    MimeMessage almost = a2.get(1);
    assertThat(MailSink.subject(almost)).isEqualTo("Almost your turn at Queue ahead");
    assertThat(MailSink.part(almost, "text/plain")).contains("People ahead of you: 1");
    drained();
    assertThat(subjects("a3@example.test")).hasSize(1);

    assertThat(next(q[1])).isTrue();
    SINK.await("a3@example.test", 2);
    assertThat(next(q[1])).isTrue(); // a2 called: the line moves on, a2 owed nothing more
    drained();
    assertThat(subjects("a2@example.test")).containsExactly("You are in line at Queue ahead: ticket A003",
        "Almost your turn at Queue ahead", "Ticket A003: please go to Desk 1");
  }

  @Test
  void byTheEtaThePersonChose() {
    // 1 counter, 5 min a ticket: position p waits about 5p minutes
    String[] q = queue("eta", new JsonObject().put("notifyAhead", 0).put("serviceTimeGuessSeconds", 300));
    for (int i = 0; i < 3; i++) {
      staff.join("eta");
    }
    // position 4 (20 min): told when the p50 ETA is at most 10 min, whatever the queue's default
    JsonObject me = join("eta", "eta@example.test", new JsonObject().put("notifyMinutes", 10));
    SINK.await("eta@example.test", 1);
    assertThat(next(q[1])).isTrue(); // position 3: 15 min
    drained();
    assertThat(subjects("eta@example.test")).hasSize(1);
    assertThat(next(q[1])).isTrue(); // position 2: 10 min
    MimeMessage almost = SINK.await("eta@example.test", 2).get(1);
    assertThat(MailSink.subject(almost)).isEqualTo("Almost your turn at Queue eta");
    assertThat(MailSink.part(almost, "text/plain")).contains("People ahead of you: 1", "Estimated wait: about 10 min");
    assertThat(server.count("SELECT count(*) FROM tickets WHERE almost_pending AND id = '" + me.getString("id") + "'"))
        .isZero();
  }

  @Test
  void aQueueWordsItsOwnMessagesAndBadWordingIsRefused() {
    String id = staff.queue("words").getString("id");
    JsonObject texts = new JsonObject().put("joined", new JsonObject().put("subject", "Welcome to {queue}, {name}!")
        .put("intro", "Hold on to ticket {code}."));
    Resp ok = staff.call("PATCH", "/api/v1/queues/" + id, new JsonObject().put("mailTexts", texts)
        .put("notifyMinutes", 15).encode());
    assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    assertThat(ok.json().getJsonObject("mailTexts").getJsonObject("joined").getString("intro"))
        .isEqualTo("Hold on to ticket {code}.");
    assertThat(ok.json().getInteger("notifyMinutes")).isEqualTo(15);
    assertThat(ok.json().getInteger("notifyAhead")).isEqualTo(3);
    for (JsonObject bad : List.of(new JsonObject().put("mailTexts", new JsonObject().put("greeting", new JsonObject())),
        new JsonObject().put("mailTexts", new JsonObject().put("joined", new JsonObject().put("subject", "x\ny"))),
        new JsonObject().put("mailTexts", new JsonObject().put("joined", new JsonObject().put("footer", "x"))),
        new JsonObject().put("notifyAhead", 101), new JsonObject().put("notifyMinutes", 241))) {
      Resp r = staff.call("PATCH", "/api/v1/queues/" + id, bad.encode());
      assertThat(r.status()).as(bad.encode()).isEqualTo(400);
    }
    join("words", "words@example.test", new JsonObject().put("name", "Ann"));
    MimeMessage m = SINK.await("words@example.test", 1).get(0);
    assertThat(MailSink.subject(m)).isEqualTo("Welcome to Queue words, Ann!");
    assertThat(MailSink.part(m, "text/plain")).contains("Hold on to ticket A001.");
  }
}
