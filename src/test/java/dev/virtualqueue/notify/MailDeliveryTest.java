package dev.virtualqueue.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.queue.QueueMessages;
import io.vertx.core.VertxException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Retry timing, failure reasons, the SMTP client settings and the kinds a queue may word. */
class MailDeliveryTest {
  @Test
  void retriesBackOffFromTenSecondsDoublingToHalfAnHour() {
    assertThat(MailDrain.backoff(0)).isEqualTo(Duration.ofSeconds(10));
    assertThat(MailDrain.backoff(1)).isEqualTo(Duration.ofSeconds(20));
    assertThat(MailDrain.backoff(5)).isEqualTo(Duration.ofSeconds(320));
    assertThat(MailDrain.backoff(8)).isEqualTo(Duration.ofMinutes(30));
    assertThat(MailDrain.backoff(1_000)).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void failuresHaveBoundedReasons() {
    assertThat(MailSender.reason(new ConnectException("Connection refused"))).isEqualTo("smtp_unreachable");
    assertThat(MailSender.reason(new VertxException(new ConnectException("refused")))).isEqualTo("smtp_unreachable");
    assertThat(MailSender.reason(new TimeoutException())).isEqualTo("timeout");
    assertThat(MailSender.reason(smtp(451, "451 4.3.0 try later"))).isEqualTo("smtp_refused");
    assertThat(MailSender.reason(smtp(550, "550 5.1.1 no such user"))).isEqualTo("invalid_address");
    assertThat(MailSender.reason(smtp(553, "553 mailbox name not allowed"))).isEqualTo("invalid_address");
    assertThat(MailSender.reason(smtp(554, "554 5.7.1 relay denied"))).isEqualTo("smtp_refused");
    assertThat(MailSender.reason(new IllegalStateException("STARTTLS required but not supported by server")))
        .isEqualTo("smtp_refused");
    assertThat(NotifyMetrics.REASONS).contains("smtp_refused", "smtp_unreachable", "timeout", "invalid_address",
        "gave_up");
  }

  private static SMTPException smtp(int code, String reply) {
    return new SMTPException("", code, List.of(reply), code >= 500);
  }

  @Test
  void theClientFollowsTheSettingsAndVerifiesTheServer() {
    var mail = new AppConfig.Mail("smtp.example.test", 587, "q@example.test", AppConfig.Mail.StartTls.REQUIRED,
        "queue", "/run/secrets/smtp", 100, "");
    MailConfig c = MailSender.config(mail, "queue.example.test", "s3cret");
    assertThat(c.getHostname()).isEqualTo("smtp.example.test");
    assertThat(c.getPort()).isEqualTo(587);
    assertThat(c.getStarttls()).isEqualTo(StartTLSOptions.REQUIRED);
    assertThat(c.getLogin()).isEqualTo(LoginOption.REQUIRED);
    assertThat(c.getUsername()).isEqualTo("queue");
    assertThat(c.getPassword()).isEqualTo("s3cret");
    assertThat(c.isTrustAll()).isFalse();
    assertThat(c.getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    var anonymous = new AppConfig.Mail("smtp.example.test", 25, "q@example.test", AppConfig.Mail.StartTls.DISABLED,
        "", "", 100, "/etc/ssl/relay.pem");
    MailConfig a = MailSender.config(anonymous, "queue.example.test", null);
    assertThat(a.getLogin()).isEqualTo(LoginOption.DISABLED);
    assertThat(a.getTrustOptions()).isNotNull();
  }

  @Test
  void aQueueWordsExactlyTheMailKinds() {
    assertThat(QueueMessages.KINDS).containsExactlyElementsOf(Arrays.stream(MailKind.values())
        .map(MailKind::wireName).toList());
    assertThat(QueueMessages.MAX_SUBJECT).isEqualTo(MailText.MAX_SUBJECT);
    assertThat(QueueMessages.MAX_INTRO).isEqualTo(MailText.MAX_INTRO);
    assertThat(NotifyMetrics.KINDS).containsAll(QueueMessages.KINDS).contains(OwnerMailer.KIND);
  }

  @Test
  void aQueuesWordingOrTheDefault() {
    JsonObject texts = new JsonObject().put("called", new JsonObject().put("subject", "Go to {counter}"));
    assertThat(TicketMailer.text(texts, MailKind.CALLED)).isEqualTo(new MailText("Go to {counter}", null));
    assertThat(TicketMailer.text(texts, MailKind.JOINED)).isEqualTo(MailText.DEFAULT);
    assertThat(TicketMailer.text(null, MailKind.JOINED)).isEqualTo(MailText.DEFAULT);
  }

  @Test
  void rowsMapToTheirMessages() {
    assertThat(MailRows.holderKind("ticket.created")).isEqualTo(MailKind.JOINED);
    assertThat(MailRows.holderKind("ticket.called")).isEqualTo(MailKind.CALLED);
    assertThat(MailRows.holderKind(MailRows.ALMOST_TYPE)).isEqualTo(MailKind.ALMOST_TURN);
    assertThat(MailRows.holderKind("ticket.left")).isNull();
    assertThat(MailRows.movesLine("ticket.left")).isTrue();
    assertThat(MailRows.movesLine("ticket.created")).isFalse();
  }
}
