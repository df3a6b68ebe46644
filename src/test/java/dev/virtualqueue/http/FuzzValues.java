package dev.virtualqueue.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Values from JSON schemas: a valid value for a schema, and hostile variants of one field of a valid
 * body (missing, extra, wrong type, boundary number, long or control-character text). Every string
 * it makes carries the caller's marker, so text one tenant created can be recognised anywhere.
 */
final class FuzzValues {
  /** Hostile texts: control characters, a lone surrogate, bidi and BOM, injection lookalikes. */
  static final List<String> HOSTILE_TEXT = List.of("\u0000", "a\u0000b", "\u001b[31mred", "\ud800", "x\udfffy",
      "\u202eevil", "\ufeffbom", "\uffff", "' OR 1=1 --", "<script>alert(1)</script>", "%00", "../../etc/passwd",
      "${jndi:ldap://x}", "   ", "", "\t\n\r", "😀".repeat(30), "\\", "\"");
  /** Numbers around every limit: raw JSON text, so huge and odd forms survive encoding. */
  static final List<String> BOUNDARY_NUMBERS = List.of("0", "-1", "2147483647", "2147483648", "-2147483649",
      "9223372036854775807", "9223372036854775808", "1e308", "1e999", "-0", "1.5", "0.0000001", "1E2",
      "9".repeat(40), "-" + "9".repeat(400));
  private static final List<Object> WRONG_TYPES = List.of(42, true, "text", 1.5, new JsonArray(), new JsonObject(),
      new JsonArray().add(1).add("a"));

  private final FuzzOperations ops;
  private final Random rnd;

  FuzzValues(FuzzOperations ops, Random rnd) {
    this.ops = ops;
    this.rnd = rnd;
  }

  /** A value the schema accepts; {@code ids} supplies uuid fields by name (e.g. a transfer's queueId). */
  Object valid(JsonObject schema, String field, String marker, Map<String, String> ids) {
    JsonObject s = ops.resolve(schema);
    if (s.containsKey("enum")) {
      return pick(s.getJsonArray("enum").getList());
    }
    if (s.containsKey("examples") && !"object".equals(s.getString("type"))) {
      return s.getJsonArray("examples").getValue(0);
    }
    return switch (s.getString("type", "object")) {
      case "object" -> object(s, marker, ids);
      case "array" -> array(s, field, marker, ids);
      case "integer" -> integer(s);
      case "number" -> rnd.nextDouble() * 100;
      case "boolean" -> rnd.nextBoolean();
      default -> text(s, field, marker, ids);
    };
  }

  private JsonObject object(JsonObject s, String marker, Map<String, String> ids) {
    JsonObject props = s.getJsonObject("properties");
    if (props == null) {
      JsonArray examples = s.getJsonArray("examples");
      return examples == null ? new JsonObject() : examples.getJsonObject(0).copy();
    }
    List<Object> required = s.getJsonArray("required", new JsonArray()).getList();
    JsonObject out = new JsonObject();
    for (String name : props.fieldNames()) {
      if (required.contains(name) || rnd.nextBoolean()) {
        out.put(name, valid(props.getJsonObject(name), name, marker, ids));
      }
    }
    return out;
  }

  private JsonArray array(JsonObject s, String field, String marker, Map<String, String> ids) {
    JsonArray out = new JsonArray();
    int n = Math.max(s.getInteger("minItems", 0), 1 + rnd.nextInt(2));
    for (int i = 0; i < Math.min(n, s.getInteger("maxItems", 10)); i++) {
      out.add(valid(s.getJsonObject("items", new JsonObject()), field, marker, ids));
    }
    return out;
  }

  private long integer(JsonObject s) {
    long min = s.getLong("minimum", 0L);
    long max = Math.min(s.getLong("maximum", min + 1000), min + 1000);
    return min + (long) (rnd.nextDouble() * (max - min + 1));
  }

  private String text(JsonObject s, String field, String marker, Map<String, String> ids) {
    String format = s.getString("format", "");
    String suffix = Long.toString(Math.abs(rnd.nextLong()), 36).substring(0, 6);
    String v = switch (format) {
      case "uuid" -> ids.getOrDefault(field, uuid());
      case "email" -> marker + "-" + suffix + "@example.test";
      case "password" -> "fuzz-password-" + suffix;
      case "date-time" -> Instant.now().toString();
      default -> s.containsKey("pattern") ? patterned(s.getString("pattern"), marker, suffix) : marker + " " + suffix;
    };
    int max = s.getInteger("maxLength", 1000);
    return v.length() > max ? v.substring(0, max) : v;
  }

  /** A value for the document's patterns; anything unknown falls back to the marker. */
  private String patterned(String pattern, String marker, String suffix) {
    String v;
    if (pattern.contains("[A-Z]")) {
      v = "ABCDEFGHIJKLMNOPQRSTUVWXY".substring(rnd.nextInt(20)).substring(0, 1 + rnd.nextInt(3)); // never Z
    } else if (pattern.contains("[a-z0-9]")) {
      v = marker + "-" + suffix;
    } else if (pattern.contains(":[0-9]{2}")) {
      v = "09:00-17:00";
    } else if (pattern.contains("+?[0-9")) {
      v = "+44 20 7946 0" + rnd.nextInt(1000);
    } else {
      v = uuid();
    }
    return Pattern.compile(pattern).matcher(v).find() ? v : marker;
  }

  // ------------------------------------------------------------------ hostile variants of one field

  /** A body and a label saying what was done to it; raw JSON tokens are spliced in by {@link #encode}. */
  record Mutated(String label, JsonObject body, Map<String, String> raw) {
  }

  /** One hostile change to a copy of {@code valid}, at the top level or (half the time) inside a nested object. */
  Mutated mutate(JsonObject schema, JsonObject valid) {
    JsonObject body = valid.copy();
    Mutated m = mutateIn(ops.resolve(schema), body, "");
    return new Mutated(m.label(), body, m.raw());
  }

  private Mutated mutateIn(JsonObject s, JsonObject body, String at) {
    JsonObject props = s.getJsonObject("properties", new JsonObject());
    List<String> fields = new ArrayList<>(props.fieldNames());
    String field = fields.isEmpty() ? "fuzz" : pick(fields);
    JsonObject fs = props.containsKey(field) ? ops.resolve(props.getJsonObject(field)) : new JsonObject();
    Object value = body.getValue(field);
    if (value instanceof JsonArray a && !a.isEmpty() && a.getValue(0) instanceof JsonObject && rnd.nextBoolean()) {
      return mutateIn(ops.resolve(fs.getJsonObject("items")), a.getJsonObject(0), at + field + "[0].");
    }
    if (value instanceof JsonObject o && fs.containsKey("properties") && rnd.nextBoolean()) {
      return mutateIn(fs, o, at + field + ".");
    }
    Mutated m = mutateField(s, body, field, fs);
    return new Mutated(at + m.label(), body, m.raw());
  }

  private Mutated mutateField(JsonObject s, JsonObject body, String field, JsonObject fs) {
    return switch (rnd.nextInt(6)) {
      case 0 -> {
        List<Object> req = s.getJsonArray("required", new JsonArray()).getList();
        String gone = req.isEmpty() ? field : (String) pick(req);
        body.remove(gone);
        yield new Mutated("missing " + gone, body, Map.of());
      }
      case 1 -> new Mutated("extra field", body.put("fuzzExtra" + rnd.nextInt(9), pick(WRONG_TYPES)), Map.of());
      case 2 -> new Mutated("wrong type " + field, body.put(field, pick(WRONG_TYPES)), Map.of());
      case 3 -> {
        String n = pick(BOUNDARY_NUMBERS);
        yield new Mutated("number " + field + "=" + abbreviate(n), body.put(field, "__RAW__"), Map.of("__RAW__", n));
      }
      case 4 -> {
        int len = pick(List.of(fs.getInteger("maxLength", 100) + 1, 1_000, 20_000, 70_000));
        yield new Mutated("long " + field + " x" + len, body.put(field, "x".repeat(len)), Map.of());
      }
      default -> {
        String t = pick(HOSTILE_TEXT);
        yield new Mutated("text " + field + "=" + abbreviate(t), body.put(field, t), Map.of());
      }
    };
  }

  static String encode(Mutated m) {
    String text = m.body().encode();
    for (Map.Entry<String, String> e : m.raw().entrySet()) {
      text = text.replace("\"" + e.getKey() + "\"", e.getValue());
    }
    return text;
  }

  /** A random UUID from the seeded generator, so a replay sends the same one. */
  String uuid() {
    return new UUID(rnd.nextLong(), rnd.nextLong()).toString();
  }

  <T> T pick(List<T> from) {
    return from.get(rnd.nextInt(from.size()));
  }

  static String abbreviate(String s) {
    return s.length() > 24 ? s.substring(0, 24) + "…(" + s.length() + ")" : s;
  }
}
