package dev.virtualqueue.notify;

import dev.virtualqueue.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The SMTP side: one {@link MailClient} built from {@code mail.*} (password read from its file on a
 * worker at start), sending a rendered message with a deterministic Message-ID so that a resend
 * after a crash between the server's accept and our record of it is recognisable as the same mail.
 */
public final class MailSender {
  /** One SMTP transaction may take this long before it counts as a timeout. */
  static final long SEND_TIMEOUT_SECONDS = 30;
  private final MailClient client;
  private final String from;
  private final NotifyMetrics metrics;

  private MailSender(MailClient client, String from, NotifyMetrics metrics) {
    this.client = client;
    this.from = from;
    this.metrics = metrics;
  }

  /** Builds the client; call on the context that will send (the notification verticle's). */
  public static Future<MailSender> create(Vertx vertx, AppConfig.Mail cfg, String ownHostname, NotifyMetrics metrics) {
    return vertx.executeBlocking(() -> cfg.passwordFile().isEmpty() ? null
            : Files.readString(Path.of(cfg.passwordFile()), StandardCharsets.UTF_8).strip(), false)
        .map(password -> new MailSender(MailClient.create(vertx, config(cfg, ownHostname, password)), cfg.from(),
            metrics));
  }

  static MailConfig config(AppConfig.Mail cfg, String ownHostname, String password) {
    MailConfig c = new MailConfig(cfg.host(), cfg.port())
        .setStarttls(StartTLSOptions.valueOf(cfg.starttls().name()))
        .setOwnHostname(ownHostname)
        .setKeepAlive(true)
        .setMaxPoolSize(2)
        .setConnectTimeout(10_000)
        .setSslHandshakeTimeout(15)
        .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
    // the certificate must name the host we dial (no trust-all anywhere)
    c.setHostnameVerificationAlgorithm("HTTPS");
    if (!cfg.trustFile().isEmpty()) {
      c.setTrustOptions(new PemTrustOptions().addCertPath(cfg.trustFile()));
    }
    if (cfg.username().isEmpty()) {
      c.setLogin(LoginOption.DISABLED);
    } else {
      c.setLogin(LoginOption.REQUIRED).setUsername(cfg.username()).setPassword(password);
    }
    return c;
  }

  /** Sends one message to {@code to}; fails with the server's or the network's error. */
  public Future<Void> send(List<String> to, RenderedMail mail, String messageId) {
    MailMessage m = new MailMessage().setFrom(from).setTo(to).setSubject(mail.subject())
        .setText(mail.text()).setHtml(mail.html());
    mail.headers().forEach(m::addHeader);
    m.addHeader("Message-ID", messageId);
    long start = System.nanoTime();
    return client.sendMail(m).timeout(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .onComplete(ar -> metrics.sendTime(start)).mapEmpty();
  }

  public Future<Void> close() {
    return client.close();
  }

  /** The bounded {@code reason} label of a failed send. */
  static String reason(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c && !(c instanceof SMTPException)) {
      c = c.getCause();
    }
    if (c instanceof SMTPException smtp) {
      return addressRefused(smtp) ? "invalid_address" : "smtp_refused";
    }
    // Netty's ConnectTimeoutException and Vert.x's own timeout exceptions included
    if (c instanceof TimeoutException || c.getClass().getSimpleName().contains("Timeout")) {
      return "timeout";
    }
    if (c instanceof ConnectException || c instanceof UnknownHostException || c instanceof NoRouteToHostException) {
      return "smtp_unreachable";
    }
    return "smtp_refused";
  }

  /** A permanent refusal of the recipient (5.1.x "bad destination", or 550/553 to RCPT): no retry helps. */
  static boolean addressRefused(SMTPException e) {
    String reply = e.getReplyMessage() == null ? "" : e.getReplyMessage();
    return e.isPermanent() && (reply.matches("(?s)^\\d{3}[ -]5\\.1\\.\\d.*") || e.getReplyCode() == 553
        || e.getReplyCode() == 550 && reply.toLowerCase(Locale.ROOT).contains("mailbox"));
  }
}
