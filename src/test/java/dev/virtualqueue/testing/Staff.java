package dev.virtualqueue.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A signed-in staff session of one tenant, with shorthands for the common calls. */
public record Staff(TestServer server, String tenant, String token) {

  public Resp call(String method, String path, String body) {
    return server.http(method, path, body, "Authorization", "Bearer " + token);
  }

  public Resp call(String method, String path) {
    return call(method, path, null);
  }

  /** Creates a queue with the given extra fields and returns its JSON. */
  public JsonObject queue(String slug, JsonObject extra) {
    JsonObject body = new JsonObject().put("slug", slug).put("name", "Queue " + slug).mergeIn(extra);
    Resp r = call("POST", "/api/v1/queues", body.encode());
    if (r.status() != 201) {
      throw new IllegalStateException("create queue: " + r);
    }
    return r.json();
  }

  public JsonObject queue(String slug) {
    return queue(slug, new JsonObject());
  }

  /** Queue with classes (names, in priority order) and a policy. */
  public JsonObject queue(String slug, String policy, String... classes) {
    JsonArray list = new JsonArray();
    for (String c : classes) {
      list.add(new JsonObject().put("name", c).put("selfService", true));
    }
    return queue(slug, new JsonObject().put("priorityClasses", list).put("priorityPolicy", policy));
  }

  /** Adds an open counter to a queue and returns its id. */
  public String openCounter(String queueId, String name) {
    Resp r = call("POST", "/api/v1/queues/" + queueId + "/counters", new JsonObject().put("name", name).encode());
    if (r.status() != 201) {
      throw new IllegalStateException("create counter: " + r);
    }
    String id = r.json().getString("id");
    Resp open = call("POST", "/api/v1/counters/" + id + "/open");
    if (open.status() != 200) {
      throw new IllegalStateException("open counter: " + open);
    }
    return id;
  }

  /** Takes a public ticket in a queue of this tenant. */
  public JsonObject join(String queueSlug, JsonObject body) {
    Resp r = server.http("POST", "/api/v1/public/" + tenant + "/queues/" + queueSlug + "/tickets", body.encode());
    if (r.status() != 201) {
      throw new IllegalStateException("join: " + r);
    }
    return r.json();
  }

  public JsonObject join(String queueSlug) {
    return join(queueSlug, new JsonObject());
  }

  /** The holder's view of a ticket. */
  public JsonObject ticket(JsonObject joined) {
    Resp r = server.http("GET", "/api/v1/tickets/" + joined.getString("id"), null,
        "X-Ticket-Token", joined.getString("token"));
    if (r.status() != 200) {
      throw new IllegalStateException("ticket: " + r);
    }
    return r.json();
  }

  public Resp callNext(String counterId) {
    return call("POST", "/api/v1/counters/" + counterId + "/call-next");
  }
}
