package dev.virtualqueue.monitoring;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A loopback HTTP endpoint standing in for every receiver in the live tests: it records each
 * Alertmanager webhook notification (receiver, status, alerts) it is sent.
 */
final class WebhookSink implements AutoCloseable {
  /** One alert of one notification, flattened; {@code notification} numbers the notifications received. */
  record Delivery(String receiver, String status, String alertname, JsonObject labels, long atMillis, int notification) {
  }

  private final HttpServer server;
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private final AtomicInteger notifications = new AtomicInteger();

  WebhookSink() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      JsonObject body = new JsonObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      long now = System.currentTimeMillis();
      int notification = notifications.incrementAndGet();
      body.getJsonArray("alerts").forEach(a -> {
        JsonObject alert = (JsonObject) a;
        JsonObject labels = alert.getJsonObject("labels");
        deliveries.add(new Delivery(body.getString("receiver"), alert.getString("status"),
            labels.getString("alertname"), labels, now, notification));
      });
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** Waits for a delivery matching {@code p}; returns it, or null after {@code millis}. */
  Delivery await(Predicate<Delivery> p, long millis) {
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      for (Delivery d : deliveries) {
        if (p.test(d)) {
          return d;
        }
      }
      Tools.sleep(100);
    }
    return null;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
