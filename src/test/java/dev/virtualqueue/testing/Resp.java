package dev.virtualqueue.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** A response seen by a test: status, headers and body. */
public record Resp(int status, Map<String, List<String>> headers, String body) {

  public JsonObject json() {
    return body == null || body.isEmpty() ? new JsonObject() : new JsonObject(body);
  }

  public JsonArray items() {
    return json().getJsonArray("items");
  }

  public String header(String name) {
    return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(e -> e.getValue().get(0)).findFirst().orElse(null);
  }

  public String contentType() {
    return header("content-type");
  }

  @Override
  public String toString() {
    return status + " " + body;
  }
}
