package dev.virtualqueue.http;

import dev.virtualqueue.http.FuzzOperations.Op;
import dev.virtualqueue.http.FuzzTenants.Identity;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds the fuzz test's requests. All randomness comes from the one seeded {@link Random}, drawn
 * in a fixed order, so a seed always yields the same requests.
 */
final class FuzzRequests {
  /** What kind of input a request fuzzes; {@code VALID} is a well-formed request. */
  enum Family { VALID, BODY, RAW_BODY, MEDIA, PATH, QUERY, HEADER }

  /** One request as sent, with the label that names it in a finding. */
  record Request(Family family, String label, Op op, Identity who, String target, byte[] body, List<String> headers) {
    String describe() {
      String text = body == null ? "" : " body=" + FuzzValues.abbreviate(new String(body, StandardCharsets.UTF_8));
      StringBuilder h = new StringBuilder();
      for (int i = 0; i < headers.size(); i += 2) {
        h.append(i == 0 ? "" : ", ").append(headers.get(i)).append(": ")
            .append(FuzzValues.abbreviate(headers.get(i + 1)));
      }
      return "[" + who.name() + "] " + op.method() + " " + FuzzValues.abbreviate(target) + " {" + family + ": "
          + label + "} headers={" + h + "}" + text;
    }
  }

  private static final List<String> RAW_BODIES = List.of("", "{", "[]", "null", "\"text\"", "123", "{\"a\":}",
      "{'a':1}", "\ufeff{}", "{\"name\":\"\\ud800\"}", "[".repeat(5_000), "{}{}", "{\"name\":1e999999}",
      "{\"name\":" + "9".repeat(400) + "}", "{\"name\":\"\\u0000\"}", "{\"" + "k".repeat(10_000) + "\":1}",
      "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{\"j\":{\"k\":{\"l\":{\"m\":{\"n\":{\"o\":{\"p\":"
          + "{\"q\":1}}}}}}}}}}}}}}}}}");
  private static final List<String> MEDIA = List.of("text/plain", "application/jsonx", "application/xml",
      "application/json; charset=utf-16", "application/json;;;", "application/problem+json", "*/*", "json",
      "multipart/form-data", "multipart/form-data; boundary=zz", "application/x-www-form-urlencoded");
  private static final List<String> SEGMENTS = List.of("not-a-uuid", "%00", "%zz", "%", "%2e%2e", "..", "%2F",
      "a".repeat(300), "b".repeat(9_000), "00000000-0000-0000-0000-000000000000", "%F0%9F%98%80", "%ED%A0%80",
      "-1", "null", "%27%20OR%201%3D1--", "%0d%0a", "%20", "{id}", "A1B2C3D4-0000-0000-0000-00000000000G");
  private static final List<String> QUERIES = List.of("limit=0", "limit=-1", "limit=201", "limit=abc", "limit=1e2",
      "limit=%", "limit=99999999999999999999", "limit=", "limit=1&limit=2", "cursor=%00", "cursor=%zz", "cursor=",
      "cursor=MDo1ODUw", "cursor=" + b64("-1:-1"), "cursor=" + b64("x:y"), "cursor=" + b64("99999999999:1"),
      "cursor=" + b64("1"), "cursor=" + "A".repeat(300), "cursor=%ED%A0%80", "cursor=%E2%80%AE", "a=%zz&b=%",
      "cursor=" + b64("9223372036854775807:9223372036854775807"), "cursor=4f1c6c1e-9b3a-4d59-8e38-2b7a4c1d9e00", "%=%", "&&&=");
  private static final List<String> HEADERS = List.of("Authorization", "X-Ticket-Token", "Idempotency-Key",
      "X-Display-Key", "X-Request-Id", "Content-Type");
  private static final List<String> HEADER_VALUES = List.of("", " ", "Bearer", "Bearer ", "Bearer vq_",
      "Bearer vq_" + "x".repeat(200), "Bearer a.b.c", "Bearer eyJhbGciOiJub25lIn0.e30.", "Basic Zm9vOmJhcg==",
      "x".repeat(5_000), "ä ö ü", "%00", "\u0001", "vqd_" + "z".repeat(40), "a,b", "\"quoted\"");

  private final FuzzValues values;
  private final Random rnd;
  private final FuzzTenants tenants;

  FuzzRequests(FuzzValues values, Random rnd, FuzzTenants tenants) {
    this.values = values;
    this.rnd = rnd;
    this.tenants = tenants;
  }

  <T> T pick(List<T> from) {
    return values.pick(from);
  }

  /** A request of {@code op} by {@code who}, well-formed except for the one {@code family} of input. */
  Request build(Op op, Identity who, Family family) {
    List<String> headers = headers(op, who);
    String[] label = {""};
    String target = path(op, family, label) + query(op, family, label);
    byte[] body = null;
    String type = "application/json";
    JsonObject schema = op.bodySchema() == null ? new JsonObject().put("type", "object") : op.bodySchema();
    JsonObject valid = (JsonObject) values.valid(schema, "", who.marker(),
        Map.of("queueId", tenants.ids.get("transferQueueId")));
    switch (family) {
      case BODY -> {
        FuzzValues.Mutated m = values.mutate(schema, valid);
        label[0] = m.label();
        body = utf8(FuzzValues.encode(m));
      }
      case RAW_BODY -> {
        String raw = pick(RAW_BODIES);
        label[0] = FuzzValues.abbreviate(raw);
        body = utf8(raw);
      }
      case MEDIA -> {
        type = pick(MEDIA);
        label[0] = type;
        body = utf8(type.contains("form") ? "a=%zz&b=%&c" : valid.encode());
      }
      case HEADER -> label[0] = hostileHeader(headers);
      default -> body = op.bodySchema() != null && (op.bodyRequired() || rnd.nextInt(4) > 0) ? utf8(valid.encode())
          : null;
    }
    if (body != null) {
      headers.addAll(List.of("Content-Type", type));
    }
    return new Request(family, label[0], op, who, target, body, headers);
  }

  private List<String> headers(Op op, Identity who) {
    List<String> headers = new ArrayList<>();
    if (who.authorization() != null) {
      headers.addAll(List.of("Authorization", who.authorization()));
    }
    if (op.ticketToken() && who.ticketToken() != null) {
      headers.addAll(List.of("X-Ticket-Token", who.ticketToken()));
    }
    boolean idempotent = op.params("header").stream().anyMatch(p -> p.getString("name").equals("Idempotency-Key"));
    if (idempotent && rnd.nextBoolean()) {
      headers.addAll(List.of("Idempotency-Key", values.uuid()));
    }
    return headers;
  }

  /** The path with tenant A's ids (whoever asks), one of them replaced by a hostile segment for {@code PATH}. */
  private String path(Op op, Family family, String[] label) {
    String path = op.path();
    for (JsonObject p : op.params("path")) {
      path = path.replace("{" + p.getString("name") + "}", tenants.ids.get(p.getString("name")));
    }
    if (family == Family.PATH && !op.params("path").isEmpty()) {
      String name = pick(op.params("path")).getString("name");
      String segment = pick(SEGMENTS);
      path = path.replace(tenants.ids.get(name), segment);
      label[0] = name + "=" + segment;
    }
    return path;
  }

  private String query(Op op, Family family, String[] label) {
    if (family == Family.QUERY) {
      label[0] = "?" + pick(QUERIES);
      return label[0];
    }
    return !op.params("query").isEmpty() && rnd.nextBoolean() ? "?limit=" + (1 + rnd.nextInt(3)) : "";
  }

  /** Replaces or adds one header with a hostile value; returns what it did. */
  private String hostileHeader(List<String> headers) {
    String name = pick(HEADERS);
    String value = rnd.nextInt(8) == 0 ? values.uuid() : pick(HEADER_VALUES);
    for (int i = 0; i < headers.size(); i += 2) {
      if (headers.get(i).equalsIgnoreCase(name)) {
        headers.remove(i);
        headers.remove(i);
        break;
      }
    }
    headers.addAll(List.of(name, value));
    return name + "=" + FuzzValues.abbreviate(value);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(utf8(s));
  }
}
