package dev.virtualqueue.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real SMTP server in the test JVM (GreenMail) on a free port of 127.0.0.1, which can be stopped
 * and started again on the same port (a mail server outage), plus the settings that point the
 * server under test at it.
 */
public final class MailSink implements AutoCloseable {
  public static final String PUBLIC_URL = "https://queue.example.test";
  private final int port;
  private GreenMail mail;

  private MailSink(int port) {
    this.port = port;
  }

  /** A sink on a free port, not started yet. */
  public static MailSink onFreePort() {
    return new MailSink(freePort());
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** The {@code VQ_*} settings for a server that sends through this sink (plain SMTP), plus {@code more}. */
  public Map<String, String> env(String... more) {
    Map<String, String> env = new HashMap<>(Map.of("VQ_MAIL_HOST", "127.0.0.1", "VQ_MAIL_PORT", String.valueOf(port),
        "VQ_MAIL_FROM", "Queue <queue@example.test>", "VQ_MAIL_STARTTLS", "DISABLED",
        "VQ_HTTP_PUBLIC_URL", PUBLIC_URL));
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  public MailSink start() {
    mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    return this;
  }

  public void stop() {
    if (mail != null) {
      mail.stop();
      mail = null;
    }
  }

  public List<MimeMessage> messages() {
    return mail == null ? List.of() : Arrays.asList(mail.getReceivedMessages());
  }

  /** Messages to {@code address} so far. */
  public List<MimeMessage> to(String address) {
    return messages().stream().filter(m -> recipients(m).contains(address)).toList();
  }

  /** Waits until {@code address} got at least {@code n} messages; returns them. */
  public List<MimeMessage> await(String address, int n) {
    return Poll.until(() -> to(address), l -> l.size() >= n, "mail to " + address);
  }

  private static String recipients(MimeMessage m) {
    try {
      return String.valueOf(Arrays.toString(m.getAllRecipients()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String header(MimeMessage m, String name) {
    try {
      String[] h = m.getHeader(name);
      return h == null ? null : h[0];
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The body part of {@code type} (text/plain or text/html), found in any multipart nesting. */
  public static String part(MimeMessage m, String type) {
    try {
      String found = find(m.getContent(), type);
      if (found == null) {
        throw new IllegalStateException("no " + type + " part");
      }
      return found.replace("\r\n", "\n");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String find(Object content, String type) throws Exception {
    if (content instanceof Multipart mp) {
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart p = mp.getBodyPart(i);
        if (p.isMimeType(type)) {
          return String.valueOf(p.getContent());
        }
        String inner = find(p.getContent(), type);
        if (inner != null) {
          return inner;
        }
      }
    }
    return null;
  }

  @Override
  public void close() {
    stop();
  }
}
