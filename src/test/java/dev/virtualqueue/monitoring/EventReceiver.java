package dev.virtualqueue.monitoring;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback receiver of the server's own webhooks for the live monitoring test: answers 204 and
 * keeps the {@code type} of every delivery, so the webhook meters and panels have data.
 */
final class EventReceiver implements AutoCloseable {
  private final HttpServer server;
  private final List<String> types = new CopyOnWriteArrayList<>();

  EventReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      types.add(new JsonObject(body).getString("type"));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
  }

  List<String> types() {
    return List.copyOf(types);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
