package dev.virtualqueue.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a simulation needs before its users arrive, made through the public API with a plain HTTP
 * client: a staff login, a fresh queue or waiting room per run (unique slug, so runs never share a
 * line), its counters opened, optionally an API key. Not measured.
 */
public final class Fixture {

  /** A queue made for this run and its open counters. */
  public record Queue(String id, String slug, List<String> counterIds) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  private final LoadConfig cfg;
  private final String token;

  private Fixture(LoadConfig cfg, String token) {
    this.cfg = cfg;
    this.token = token;
  }

  /** Logs in as the configured staff member. */
  public static Fixture login(LoadConfig cfg) {
    Fixture anonymous = new Fixture(cfg, null);
    JsonNode login = anonymous.send("POST", "/api/v1/auth/login",
        Map.of("tenant", cfg.tenant(), "email", cfg.email(), "password", cfg.password()), 200);
    return new Fixture(cfg, login.get("accessToken").asText());
  }

  /** Creates a queue {@code <name>-<millis>} in the given mode with {@code counters} open counters. */
  public Queue queue(String name, String mode, int counters) {
    Queue q = create(name, Map.of("mode", mode, "serviceTimeGuessSeconds", 60));
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= counters; i++) {
      String counter = send("POST", "/api/v1/queues/" + q.id() + "/counters", Map.of("name", "Counter " + i), 201)
          .get("id").asText();
      send("POST", "/api/v1/counters/" + counter + "/open", null, 200);
      ids.add(counter);
    }
    return new Queue(q.id(), q.slug(), ids);
  }

  /** Creates a waiting room {@code <name>-<millis>} with these {@code waitingRoom} settings (no counters). */
  public Queue waitingRoom(String name, Map<String, Object> settings) {
    return create(name, Map.of("mode", "waiting_room", "waitingRoom", settings));
  }

  private Queue create(String name, Map<String, Object> fields) {
    String slug = name + "-" + System.currentTimeMillis();
    Map<String, Object> body = new HashMap<>(fields);
    body.put("slug", slug);
    body.put("name", "Load test " + slug);
    return new Queue(send("POST", "/api/v1/queues", body, 201).get("id").asText(), slug, List.of());
  }

  /** Creates an API key with {@code role} and returns the full key ({@code vq_...}). */
  public String apiKey(String role) {
    return send("POST", "/api/v1/api-keys", Map.of("name", "loadtest-" + System.nanoTime(), "role", role), 201)
        .get("key").asText();
  }

  private JsonNode send(String method, String path, Object body, int expected) {
    try {
      HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(cfg.baseUrl() + path))
          .header("Content-Type", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      if (token != null) {
        req.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> res = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() != expected) {
        throw new IllegalStateException(method + " " + path + " answered " + res.statusCode() + ": " + res.body());
      }
      return res.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(res.body());
    } catch (IOException e) {
      throw new IllegalStateException("set-up request " + method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
