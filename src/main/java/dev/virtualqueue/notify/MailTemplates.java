package dev.virtualqueue.notify;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the messages to ticket holders from the Pebble templates in {@code notify/mail/} on the
 * class path: {@code <kind>.txt.peb} and {@code <kind>.html.peb}, both extending a layout. The HTML
 * engine escapes every value (names, queue names, a queue's overrides); the text engine escapes
 * nothing, as plain text needs, and keeps every line break as written. Templates are read and compiled on first use and then cached, so
 * {@link #render(MailRequest)} blocks: call it on a worker, or use {@link #render(Vertx, MailRequest)}.
 */
public final class MailTemplates {
  private static final Pattern LINE_BREAKS = Pattern.compile("[\\p{Cc}\\u2028\\u2029]+");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(code|queue|counter|name)\\}");
  private static final int MAX_SUBJECT = 200;

  private final MailLinks links;
  private final PebbleEngine html;
  private final PebbleEngine text;

  public MailTemplates(MailLinks links) {
    this.links = links;
    this.html = engine(true);
    this.text = engine(false);
  }

  private static PebbleEngine engine(boolean escape) {
    ClasspathLoader loader = new ClasspathLoader(MailTemplates.class.getClassLoader());
    loader.setPrefix("notify/mail");
    loader.setSuffix(".peb");
    return new PebbleEngine.Builder().loader(loader).autoEscaping(escape).defaultEscapingStrategy("html")
        .strictVariables(true).newLineTrimming(escape).defaultLocale(Locale.ENGLISH).build();
  }

  /** {@link #render(MailRequest)} on a worker thread. */
  public Future<RenderedMail> render(Vertx vertx, MailRequest request) {
    return vertx.executeBlocking(() -> render(request), false);
  }

  /** Renders one message; blocking (template files are read and compiled on first use). */
  public RenderedMail render(MailRequest request) {
    MailTicket t = request.ticket();
    String subject = oneLine(fill(orDefault(request.text().subject(), request.kind().defaultSubject()), request));
    String intro = fill(orDefault(request.text().intro(), request.kind().defaultIntro()), request);
    String stop = links.stop(t.ticketId());
    Map<String, Object> model = new HashMap<>();
    model.put("kind", request.kind().wireName());
    model.put("subject", subject);
    model.put("intro", intro);
    model.put("name", t.personName() == null ? "" : t.personName());
    model.put("code", t.code());
    model.put("queue", t.queueName());
    model.put("counter", counter(request));
    model.put("ahead", request.peopleAhead());
    model.put("eta", request.etaMinutes());
    model.put("liveUrl", links.live(t, request.kind() == MailKind.NO_SHOW ? null : request.liveCapability()));
    model.put("stopUrl", stop);
    String name = request.kind().wireName();
    return new RenderedMail(subject, evaluate(text, name + ".txt", model), evaluate(html, name + ".html", model),
        headers(stop));
  }

  /** What the owners of a tenant are told when one of its webhook endpoints was disabled. */
  public record WebhookDisabled(String tenantName, String endpointId, String url, String reason,
                                String failingSince) {
  }

  /** The owners' notice of a disabled webhook endpoint, on a worker thread. */
  public Future<RenderedMail> render(Vertx vertx, WebhookDisabled notice) {
    return vertx.executeBlocking(() -> render(notice), false);
  }

  /** Renders the owners' notice; blocking, like {@link #render(MailRequest)}. */
  public RenderedMail render(WebhookDisabled n) {
    String subject = oneLine("Webhook disabled for " + n.tenantName() + ": " + n.url());
    Map<String, Object> model = new HashMap<>();
    model.put("subject", subject);
    model.put("tenant", n.tenantName());
    model.put("endpointId", n.endpointId() == null ? "" : n.endpointId());
    model.put("url", n.url() == null ? "" : n.url());
    model.put("reason", n.reason() == null || n.reason().isBlank() ? "it kept failing" : n.reason());
    model.put("failingSince", n.failingSince() == null ? "" : n.failingSince());
    return new RenderedMail(subject, evaluate(text, "webhook_disabled.txt", model),
        evaluate(html, "webhook_disabled.html", model), Map.of("Auto-Submitted", "auto-generated"));
  }

  private static Map<String, String> headers(String stop) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("List-Unsubscribe", "<" + stop + ">");
    h.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"); // RFC 8058: one POST stops it
    h.put("Auto-Submitted", "auto-generated");
    return Map.copyOf(h);
  }

  private static String evaluate(PebbleEngine engine, String template, Map<String, Object> model) {
    StringWriter out = new StringWriter();
    try {
      engine.getTemplate(template).evaluate(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Inserts the placeholders' values as plain text, in one pass (the HTML engine escapes the result). */
  private static String fill(String pattern, MailRequest r) {
    MailTicket t = r.ticket();
    Map<String, String> values = Map.of("code", t.code(), "queue", t.queueName(), "counter", counter(r),
        "name", t.personName() == null ? "" : t.personName());
    return PLACEHOLDER.matcher(pattern).replaceAll(m -> Matcher.quoteReplacement(values.get(m.group(1))));
  }

  private static String counter(MailRequest r) {
    return r.counterName() == null ? "the counter" : r.counterName();
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  /** A subject is one header line: no CR, LF or other control characters, and not too long. */
  private static String oneLine(String s) {
    String flat = LINE_BREAKS.matcher(s).replaceAll(" ").strip();
    return flat.length() > MAX_SUBJECT ? flat.substring(0, MAX_SUBJECT - 1) + "…" : flat;
  }
}
