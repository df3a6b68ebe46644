package dev.virtualqueue.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for a site protected by a waiting room, on its own origin (loopback, a free port):
 * it serves the HTML pages a test gives it and records every request it gets (method, path with
 * query, body), so a test can show what reached the site's server and what never did.
 */
public final class SiteServer implements AutoCloseable {
  private final HttpServer http;
  private final ExecutorService threads = Executors.newFixedThreadPool(2);
  private final Map<String, String> pages = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  /** One request as the site saw it. */
  public record Request(String method, String uri, String body) {
  }

  private SiteServer(HttpServer http) {
    this.http = http;
  }

  public static SiteServer start() {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      SiteServer site = new SiteServer(http);
      http.createContext("/", site::handle);
      http.setExecutor(site.threads);
      http.start();
      return site;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Serves {@code html} at {@code path}; any other GET is 404, any POST 204. */
  public SiteServer page(String path, String html) {
    pages.put(path, html);
    return this;
  }

  /** The site's base URL, {@code http://127.0.0.1:<port>}. */
  public String base() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().toString(), body));
      String page = "GET".equals(ex.getRequestMethod()) ? pages.get(ex.getRequestURI().getPath()) : null;
      if (page == null) {
        ex.sendResponseHeaders("POST".equals(ex.getRequestMethod()) ? 204 : 404, -1);
        return;
      }
      byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    http.stop(0);
    threads.shutdownNow();
  }
}
