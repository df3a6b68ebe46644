package dev.virtualqueue.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A little of everything the meters count, against the dev profile's demo tenant: staff sign-in,
 * a webhook for every event, a queue with a capacity, joins (created, replayed, refused; one with
 * an e-mail address), reads, a leave, calls that end served, no-show and transferred, a pause,
 * refused authentication of each kind, bad input, two live sockets that stay open, and a waiting
 * room that lets everyone who joins in. Each step checks its status, so a changed API fails here.
 */
final class Traffic implements AutoCloseable {
  /** People who join the waiting room, all admitted: under its cap, so it is never full. */
  static final int ROOM_JOINS = 3;
  static final int ROOM_CAP = 5;
  private final String api;
  private final String ws;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<WebSocket> sockets = new ArrayList<>();
  private final String eventsUrl;
  private String token;
  private String roomId;

  /** {@code eventsUrl}: where the demo tenant's webhook for every event is registered. */
  Traffic(int httpPort, String eventsUrl) {
    this.api = "http://127.0.0.1:" + httpPort + "/api/v1";
    this.ws = "ws://127.0.0.1:" + httpPort;
    this.eventsUrl = eventsUrl;
  }

  /** Joins and reads before Prometheus watches, so JIT warm-up is not mistaken for slowness. */
  void warmUp() {
    for (int i = 0; i < 40; i++) {
      JsonObject t = expect(201, "POST", "/public/demo/queues/main/tickets", "{}").json();
      expect(200, "GET", "/tickets/" + t.getString("id"), null, "X-Ticket-Token", t.getString("token"));
      expect(200, "DELETE", "/tickets/" + t.getString("id"), null, "X-Ticket-Token", t.getString("token"));
    }
  }

  void run() {
    token = expect(200, "POST", "/auth/login",
        "{\"tenant\":\"demo\",\"email\":\"owner@demo.test\",\"password\":\"demo-password\"}").json().getString("accessToken");
    staff(201, "POST", "/webhooks", "{\"url\":\"" + eventsUrl + "\",\"events\":[\"*\"]}");
    String clinic = staff(201, "POST", "/queues", "{\"slug\":\"clinic\",\"name\":\"Clinic\",\"ticketPrefix\":\"C\",\"capacity\":3,"
        + "\"priorityClasses\":[{\"name\":\"urgent\",\"selfService\":false},{\"name\":\"standard\",\"selfService\":true}],"
        + "\"serviceTimeGuessSeconds\":300}").json().getString("id");
    String counter = staff(201, "POST", "/queues/" + clinic + "/counters", "{\"name\":\"Counter 3\"}").json().getString("id");
    staff(200, "POST", "/counters/" + counter + "/open", null);
    // the first of them gives an address: it is told it joined, then that it is called
    expect(201, "POST", "/public/demo/queues/clinic/tickets", "{\"priority\":\"standard\",\"email\":\"first@example.test\"}");
    for (int i = 0; i < 2; i++) {
      expect(201, "POST", "/public/demo/queues/clinic/tickets", "{\"priority\":\"standard\"}");
    }
    expect(409, "POST", "/public/demo/queues/clinic/tickets", "{\"priority\":\"standard\"}");
    String key = UUID.randomUUID().toString();
    JsonObject held = joinMain(key);
    joinMain(key);
    expect(422, "POST", "/public/demo/queues/main/tickets", "{\"name\":\"Other\"}", "Idempotency-Key", key);
    openSockets(held);
    String id = held.getString("id");
    expect(200, "GET", "/tickets/" + id, null, "X-Ticket-Token", held.getString("token"));
    expect(403, "GET", "/tickets/" + id, null, "X-Ticket-Token", "not-the-token");
    expect(401, "GET", "/tickets/" + id, null);
    JsonObject leaver = joinMain(null);
    expect(200, "DELETE", "/tickets/" + leaver.getString("id"), null, "X-Ticket-Token", leaver.getString("token"));
    refusals();
    badInput();
    Tools.sleep(1_500); // the promised ETAs are written every second; calls then measure the ETA error
    calls(clinic, counter);
    staff(200, "POST", "/queues/" + clinic + "/pause", null);
    staff(200, "POST", "/queues/" + clinic + "/resume", null);
    waitingRoom();
  }

  /**
   * A waiting room with a rate and a cap that lets in everyone who joins: all its series exist, and
   * nobody is left waiting, so no waiting-room alert holds on the healthy stack.
   */
  private void waitingRoom() {
    roomId = staff(201, "POST", "/queues", "{\"slug\":\"drop\",\"name\":\"Drop\",\"mode\":\"waiting_room\","
        + "\"waitingRoom\":{\"newUsersPerMinute\":600,\"maxActiveUsers\":" + ROOM_CAP + ",\"sessionSeconds\":1800}}")
        .json().getString("id");
    for (int i = 0; i < ROOM_JOINS; i++) {
      expect(201, "POST", "/public/demo/queues/drop/tickets", "{}");
    }
    Poll.until(this::roomState, s -> s.getLong("admittedTotal") == ROOM_JOINS && s.getLong("waiting") == 0,
        "everyone who joined the waiting room is admitted");
  }

  /** The waiting room as its admitter sees it (GET /queues/{id}/waiting-room). */
  JsonObject roomState() {
    return staff(200, "GET", "/queues/" + roomId + "/waiting-room", null).json();
  }

  private void calls(String clinic, String counter) {
    String served = staff(200, "POST", "/counters/" + counter + "/call-next", null).json().getString("id");
    staff(200, "POST", "/tickets/" + served + "/start", null);
    staff(200, "POST", "/tickets/" + served + "/complete", null);
    String absent = staff(200, "POST", "/counters/" + counter + "/call-next", null).json().getString("id");
    staff(200, "POST", "/tickets/" + absent + "/recall", null);
    staff(200, "POST", "/tickets/" + absent + "/no-show", null);
    String moved = staff(200, "POST", "/counters/" + counter + "/call-next", null).json().getString("id");
    String main = mainQueueId();
    staff(200, "POST", "/tickets/" + moved + "/transfer", "{\"queueId\":\"" + main + "\"}");
    JsonArray mainCounters = staff(200, "GET", "/queues/" + main + "/counters", null).json().getJsonArray("items");
    // every queue with people waiting has had a call, so no queue looks stalled
    staff(200, "POST", "/counters/" + mainCounters.getJsonObject(0).getString("id") + "/call-next", null);
    assertThat(clinic).isNotNull();
  }

  private void refusals() {
    expect(401, "GET", "/queues", null);
    expect(401, "GET", "/queues", null, "Authorization", "Bearer not-a-jwt");
    expect(401, "GET", "/queues", null, "Authorization", "Bearer vq_not-a-key");
    expect(401, "POST", "/auth/login", "{\"tenant\":\"demo\",\"email\":\"owner@demo.test\",\"password\":\"wrong\"}");
    staff(404, "GET", "/queues/" + UUID.randomUUID(), null);
  }

  private void badInput() {
    expect(400, "POST", "/public/demo/queues/main/tickets", "{\"name\":");
    expect(413, "POST", "/public/demo/queues/main/tickets", "{\"name\":\"" + "x".repeat(70_000) + "\"}");
    expect(415, "POST", "/public/demo/queues/main/tickets", "name=x", "Content-Type", "text/plain");
    expect(405, "PUT", "/public/demo/queues/main/tickets", "{}"); // a known path, another method: 405 with Allow
    HttpResponse<String> unknown = send("GET", "http://" + URI.create(api).getAuthority() + "/no-such-page", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
  }

  private JsonObject joinMain(String idempotencyKey) {
    return idempotencyKey == null ? expect(201, "POST", "/public/demo/queues/main/tickets", "{}").json()
        : expect(201, "POST", "/public/demo/queues/main/tickets", "{}", "Idempotency-Key", idempotencyKey).json();
  }

  private String mainQueueId() {
    for (Object q : staff(200, "GET", "/queues", null).json().getJsonArray("items")) {
      if ("main".equals(((JsonObject) q).getString("slug"))) {
        return ((JsonObject) q).getString("id");
      }
    }
    throw new IllegalStateException("no queue main");
  }

  /** A ticket socket for a waiting person and a board socket for the demo queue, kept open. */
  private void openSockets(JsonObject ticket) {
    WebSocket.Listener listener = new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        socket.request(1);
        return null;
      }
    };
    try {
      sockets.add(http.newWebSocketBuilder().buildAsync(URI.create(ws + "/ws/tickets/" + ticket.getString("id")
          + "?token=" + ticket.getString("token")), listener).get(10, TimeUnit.SECONDS));
      sockets.add(http.newWebSocketBuilder().buildAsync(URI.create(ws + "/ws/queues/" + ticket.getString("queueId")
          + "/board"), listener).get(10, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new IllegalStateException("live socket refused", e);
    }
  }

  /** A few joins while Redis is down (answered 503), so the error series exist. */
  void joinsDuringOutage(int n) {
    for (int i = 0; i < n; i++) {
      send("POST", api + "/public/demo/queues/main/tickets", "{}");
    }
  }

  record Response(int status, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private Response staff(int status, String method, String path, String body) {
    return expect(status, method, path, body, "Authorization", "Bearer " + token);
  }

  private Response expect(int status, String method, String path, String body, String... headers) {
    HttpResponse<String> r = send(method, api + path, body, headers);
    assertThat(r.statusCode()).as("%s %s -> %s", method, path, r.body()).isEqualTo(status);
    return new Response(r.statusCode(), r.body());
  }

  private HttpResponse<String> send(String method, String url, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    boolean typed = false;
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
      typed |= headers[i].equalsIgnoreCase("Content-Type");
    }
    if (body != null && !typed) {
      b.header("Content-Type", "application/json");
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + url, e);
    }
  }

  @Override
  public void close() {
    sockets.forEach(s -> s.sendClose(WebSocket.NORMAL_CLOSURE, "bye"));
  }
}
