package dev.virtualqueue.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.ChildServer;
import dev.virtualqueue.testing.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/nginx/nginx.conf, the same main file docker/compose.yml and scripts/rolling-restart.sh
 * use, with generated upstream and listen includes in a temporary prefix: `nginx -t` accepts it,
 * and a real nginx process in front of two small upstream servers passes WebSocket upgrades,
 * forwards the client's address, retries a GET that failed on one server on the other, never
 * resends a POST that reached a server, and sends what a stopped server refused to the other one.
 * Needs Debian's {@code nginx} binary (it fails, not skips, without it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NginxConfigIT {
  private static final Vertx VERTX = Vertx.vertx();
  @TempDir
  static Path prefix;
  private static Process nginx;
  private static HttpServer other;
  private static int port;
  private static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private static final List<JsonObject> seen = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    int live = upstream("live").listen(0, "127.0.0.1").await().actualPort();
    other = upstream("other").listen(0, "127.0.0.1").await();
    port = ChildServer.freePort();
    Files.createSymbolicLink(prefix.resolve("nginx.conf"), Path.of("docker/nginx/nginx.conf").toAbsolutePath());
    // as scripts/rolling-restart.sh writes it, but with max_fails=0: each test sees the retry rules
    // of the main file, not a server still marked down by the test before
    Files.writeString(prefix.resolve("upstream.conf"), """
        upstream virtual_queue {
          least_conn;
          zone virtual_queue 256k;
          server 127.0.0.1:%d max_fails=0;
          server 127.0.0.1:%d max_fails=0;
        }
        """.formatted(live, other.actualPort()));
    Files.writeString(prefix.resolve("listen.conf"), "listen 127.0.0.1:" + port + ";\n");
    Process test = nginx("-t");
    String out = new String(test.getInputStream().readAllBytes());
    assertThat(test.waitFor()).as("nginx -t: %s", out).isZero();
    assertThat(out).contains("syntax is ok").contains("test is successful");
    nginx = nginx();
    Poll.until(() -> ChildServer.statusOf("http://127.0.0.1:" + port + "/hello"), s -> s == 200, 10_000,
        "nginx answers through an upstream");
  }

  private static Process nginx(String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("nginx", "-p", prefix.toString(), "-c",
        prefix.resolve("nginx.conf").toString(), "-g", "daemon off; pid " + prefix.resolve("nginx.pid")
            + "; error_log " + prefix.resolve("error.log") + " info;"));
    cmd.addAll(List.of(extra));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(extra.length == 0
        ? ProcessBuilder.Redirect.to(new File(prefix.resolve("access.log").toString()))
        : ProcessBuilder.Redirect.PIPE).start();
  }

  /** An upstream that records each request, echoes sockets, and drops the connection on /boom. */
  private static HttpServer upstream(String name) {
    return VERTX.createHttpServer().webSocketHandler(ws -> {
      seen.add(new JsonObject().put("server", name).put("path", ws.path())
          .put("xff", ws.headers().get("X-Forwarded-For")).put("upgrade", ws.headers().get("Upgrade")));
      ws.textMessageHandler(t -> ws.writeTextMessage(name + ":" + t));
    }).requestHandler(req -> {
      hits.computeIfAbsent(req.method() + " " + req.path(), k -> new AtomicInteger()).incrementAndGet();
      seen.add(new JsonObject().put("server", name).put("path", req.path())
          .put("xff", req.getHeader("X-Forwarded-For")).put("proto", req.getHeader("X-Forwarded-Proto"))
          .put("host", req.getHeader("Host")));
      if (req.path().equals("/boom")) {
        req.connection().close(); // the request arrived, no answer ever comes
      } else {
        req.response().end(name);
      }
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (nginx != null) {
      nginx.destroy();
      nginx.waitFor(10, TimeUnit.SECONDS);
    }
    VERTX.close().await();
  }

  private static HttpClientResponse send(HttpMethod method, String path) throws Exception {
    HttpClient client = VERTX.createHttpClient();
    return client.request(method, port, "127.0.0.1", path)
        .compose(r -> r.send().compose(resp -> resp.body().map(b -> resp)))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** Last: it stops one upstream, as a restart does. */
  @Test
  @Order(3)
  void requestsNoServerReceivedGoToAnotherAndTheClientAddressIsForwarded() throws Exception {
    other.close().await();
    for (int i = 0; i < 6; i++) {
      assertThat(send(HttpMethod.GET, "/read").statusCode()).isEqualTo(200);
      assertThat(send(HttpMethod.POST, "/write").statusCode()).as("a POST the stopped server refused").isEqualTo(200);
    }
    assertThat(Files.readString(prefix.resolve("access.log"))).as("one went to the stopped server first, then on")
        .containsPattern("upstream=127\\.0\\.0\\.1:\\d+, 127\\.0\\.0\\.1:\\d+");
    JsonObject r = seen.stream().filter(s -> s.getString("path").equals("/read")).findFirst().orElseThrow();
    assertThat(r.getString("xff")).isEqualTo("127.0.0.1");
    assertThat(r.getString("proto")).isEqualTo("http");
    assertThat(r.getString("host")).as("Host keeps the port (same-origin check of sockets)")
        .isEqualTo("127.0.0.1:" + port);
  }

  @Test
  @Order(1)
  void aGetThatFailedIsRetriedElsewhereButAPostThatArrivedIsNeverResent() throws Exception {
    assertThat(send(HttpMethod.POST, "/boom").statusCode()).isEqualTo(502);
    assertThat(hits.get("POST /boom").get()).as("servers that received the POST").isEqualTo(1);
    assertThat(send(HttpMethod.GET, "/boom").statusCode()).isEqualTo(502);
    assertThat(hits.get("GET /boom").get()).as("servers that received the GET (tries: 2)").isEqualTo(2);
  }

  @Test
  @Order(2)
  void webSocketUpgradesPassThrough() throws Exception {
    WebSocket ws = VERTX.createWebSocketClient().connect(new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(port).setURI("/ws/echo")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    List<String> got = new CopyOnWriteArrayList<>();
    ws.textMessageHandler(got::add);
    ws.writeTextMessage("hi").await();
    Poll.until(() -> got, g -> !g.isEmpty(), 5_000, "the echo through nginx");
    assertThat(got.get(0)).matches("(live|other):hi");
    JsonObject hs = seen.stream().filter(s -> s.getString("path").equals("/ws/echo")).findFirst().orElseThrow();
    assertThat(hs.getString("upgrade")).isEqualToIgnoringCase("websocket");
    assertThat(hs.getString("xff")).isEqualTo("127.0.0.1");
    ws.close().await();
  }

  @Test
  @Order(4)
  void composeUpstreamsAreTheTwoServers() throws Exception {
    String upstream = Files.readString(Path.of("docker/nginx/upstream.conf"));
    assertThat(upstream).contains("upstream virtual_queue").contains("least_conn").contains("server app1:8080")
        .contains("server app2:8080");
    assertThat(Files.readString(Path.of("docker/nginx/listen.conf"))).contains("listen 8080;");
    String main = Files.readString(Path.of("docker/nginx/nginx.conf"));
    assertThat(main).contains("include upstream.conf;").contains("include listen.conf;")
        .doesNotContainPattern("(?m)^\\s*pid ");
  }
}
