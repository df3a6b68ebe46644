package dev.virtualqueue.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The operations of the served OpenAPI document, with their parameters and body schemas resolved. */
final class FuzzOperations {
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

  /** One operation: {@code bodySchema} is null when it takes no body. */
  record Op(String method, String path, String id, List<JsonObject> params, JsonObject bodySchema,
            boolean bodyRequired, boolean bearer, boolean ticketToken) {

    boolean isPublic() {
      return !bearer && !ticketToken;
    }

    List<JsonObject> params(String in) {
      return params.stream().filter(p -> in.equals(p.getString("in"))).toList();
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private final JsonObject doc;

  FuzzOperations(JsonObject doc) {
    this.doc = doc;
  }

  List<Op> all() {
    List<Op> ops = new ArrayList<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String m : METHODS) {
        if (item.containsKey(m)) {
          ops.add(op(m.toUpperCase(Locale.ROOT), path, item.getJsonObject(m)));
        }
      }
    }
    return ops;
  }

  private Op op(String method, String path, JsonObject o) {
    List<JsonObject> params = new ArrayList<>();
    for (Object p : o.getJsonArray("parameters", new JsonArray())) {
      params.add(resolve((JsonObject) p));
    }
    JsonObject body = o.getJsonObject("requestBody");
    JsonObject schema = body == null ? null
        : resolve(body.getJsonObject("content").getJsonObject("application/json").getJsonObject("schema"));
    boolean bearer = false;
    boolean ticket = false;
    for (Object s : o.getJsonArray("security", new JsonArray())) {
      bearer |= ((JsonObject) s).containsKey("bearerAuth");
      ticket |= ((JsonObject) s).containsKey("ticketToken");
    }
    return new Op(method, path, o.getString("operationId"), params, schema,
        body != null && body.getBoolean("required", false), bearer, ticket);
  }

  /** Follows a local {@code $ref}, keeping sibling keywords such as a description. */
  JsonObject resolve(JsonObject maybeRef) {
    String ref = maybeRef.getString("$ref");
    if (ref == null) {
      return maybeRef;
    }
    JsonObject target = doc;
    for (String part : ref.substring(2).split("/")) {
      target = target.getJsonObject(part);
    }
    JsonObject merged = resolve(target).copy();
    maybeRef.forEach(e -> {
      if (!e.getKey().equals("$ref")) {
        merged.put(e.getKey(), e.getValue());
      }
    });
    return merged;
  }
}
