package dev.virtualqueue.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.http.FuzzOperations.Op;
import dev.virtualqueue.http.FuzzTenants.Identity;
import dev.virtualqueue.testing.RawHttp;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Schema-driven fuzzing of every operation of the served {@code /api/v1/openapi.json}: as each role
 * of tenant A, an API key, anonymous, and tenant B using tenant A's ids; with valid bodies and
 * hostile ones (missing, extra and wrongly typed fields, boundary numbers, long and control-character
 * text, malformed JSON), hostile path segments, cursors, percent escapes, headers and content types.
 *
 * <p>It requires: no 5xx, an answer to every request within 10 s, a problem with a code for every
 * 4xx, no 2xx for tenant B or anonymous on another tenant's or a protected resource, no answer to
 * tenant B holding any id, token or name of tenant A, and a server still serving at the end.
 *
 * <p>The seed is printed on every run; rerun one with {@code -Dvq.fuzz.seed=<seed>} (or
 * {@code VQ_FUZZ_SEED}) to get the same requests in the same order.
 */
class ApiFuzzIT {
  private static final long BUDGET_MILLIS = Long.getLong("vq.fuzz.millis", 30_000);
  private static final int TIMEOUT_MILLIS = 10_000;
  private static final int MAX_HANGS = 3;

  enum Family { VALID, BODY, RAW_BODY, MEDIA, PATH, QUERY, HEADER }

  /** One request as sent, with the label that names it in a finding. */
  record Request(Family family, String label, Op op, Identity who, String target, byte[] body, List<String> headers) {
    String describe() {
      String text = body == null ? "" : " body=" + FuzzValues.abbreviate(new String(body, StandardCharsets.UTF_8));
      StringBuilder h = new StringBuilder();
      for (int i = 0; i < headers.size(); i += 2) {
        h.append(i == 0 ? "" : ", ").append(headers.get(i)).append(": ").append(FuzzValues.abbreviate(headers.get(i + 1)));
      }
      return "[" + who.name() + "] " + op.method() + " " + FuzzValues.abbreviate(target) + " {" + family + ": "
          + label + "} headers={" + h + "}" + text;
    }
  }

  static long seed;
  static TestServer server;
  static FuzzTenants tenants;
  static FuzzOperations document;
  static List<Op> ops;

  @BeforeAll
  static void start() {
    seed = seed();
    System.out.println("ApiFuzzIT seed=" + seed + " (rerun: -Dvq.fuzz.seed=" + seed + " or VQ_FUZZ_SEED=" + seed + ")");
    server = TestServer.start();
    tenants = new FuzzTenants(server);
    document = new FuzzOperations(new JsonObject(server.http("GET", "/api/v1/openapi.json", null).body()));
    ops = document.all();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static long seed() {
    String given = System.getProperty("vq.fuzz.seed", System.getenv("VQ_FUZZ_SEED"));
    return given == null || given.isBlank() ? new SecureRandom().nextLong() : Long.parseLong(given.trim());
  }

  @Test
  void everyOperationAsEveryCallerWithHostileInputGetsAClean4xxOr2xxAndLeaksNothing() {
    Random rnd = new Random(seed);
    FuzzRequests make = new FuzzRequests(new FuzzValues(document, rnd), rnd, tenants);
    FuzzFindings findings = new FuzzFindings(tenants.secretsOfA);
    long start = System.currentTimeMillis();
    // every operation as every caller, well-formed; then every operation with every kind of hostile input
    for (Op op : ops) {
      for (Identity who : tenants.identities) {
        send(make.build(op, who, Family.VALID), findings);
      }
    }
    for (Op op : ops) {
      for (Family f : Family.values()) {
        if (f != Family.VALID) {
          send(make.build(op, make.pick(tenants.identities), f), findings);
        }
      }
    }
    // then random combinations until the time budget is spent
    List<Family> families = List.of(Family.values());
    while (System.currentTimeMillis() - start < BUDGET_MILLIS && findings.hangs() < MAX_HANGS) {
      send(make.build(make.pick(ops), make.pick(tenants.identities), make.pick(families)), findings);
    }
    stillServes(findings);
    System.out.println("ApiFuzzIT seed=" + seed + ": " + findings.summary(System.currentTimeMillis() - start));
    findings.problems().forEach(p -> System.out.println("ApiFuzzIT problem: " + p));
    assertThat(findings.problems()).as("ApiFuzzIT seed=%d (rerun with -Dvq.fuzz.seed=%d)", seed, seed).isEmpty();
    assertThat(findings.perOperation().keySet()).as("every operation was tried")
        .containsAll(ops.stream().map(Op::toString).toList());
  }

  private static void send(Request r, FuzzFindings findings) {
    long t0 = System.nanoTime();
    try {
      Resp resp = RawHttp.send(server.app().httpPort(), r.op().method(), r.target(), r.body(), TIMEOUT_MILLIS,
          r.headers().toArray(String[]::new));
      findings.check(r, resp, (System.nanoTime() - t0) / 1_000_000);
    } catch (IOException | RuntimeException e) {
      findings.noAnswer(r, e, (System.nanoTime() - t0) / 1_000_000);
    }
  }

  private static void stillServes(FuzzFindings findings) {
    Resp list = tenants.ownerA.call("GET", "/api/v1/queues");
    Resp queue = tenants.ownerB.call("POST", "/api/v1/queues", new JsonObject().put("slug", "after-fuzz")
        .put("name", "After").encode());
    Resp join = server.http("POST", "/api/v1/public/" + tenants.ownerB.tenant() + "/queues/after-fuzz/tickets", "{}",
        "Idempotency-Key", UUID.randomUUID().toString());
    Resp ready = server.send("GET", server.management() + "/health/ready", null);
    Map<String, Integer> end = new TreeMap<>(Map.of("list", list.status(), "create", queue.status(),
        "join", join.status(), "ready", ready.status()));
    if (list.status() != 200 || queue.status() != 201 || join.status() != 201 || ready.status() != 200) {
      findings.problem("the server no longer serves normally after the fuzzing: " + end);
    }
  }

  /** Builds requests; all randomness comes from the one seeded {@link Random}, in a fixed order. */
  static final class FuzzRequests {
    private static final List<String> RAW_BODIES = List.of("", "{", "[]", "null", "\"text\"", "123", "{\"a\":}",
        "{'a':1}", "\ufeff{}", "{\"name\":\"\\ud800\"}", "[".repeat(5_000), "{}{}", "{\"name\":1e999999}",
        "{\"name\":" + "9".repeat(400) + "}", "{\"name\":\"\\u0000\"}", "{\"" + "k".repeat(10_000) + "\":1}",
        "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{\"j\":{\"k\":{\"l\":{\"m\":{\"n\":{\"o\":{\"p\":{\"q\":1}}}}}}}}}}}}}}}}}");
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
        "cursor=" + b64("9223372036854775807:9223372036854775807"), "cursor=" + UUID.randomUUID(), "%=%", "&&&=");

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

    Request build(Op op, Identity who, Family family) {
      List<String> headers = new ArrayList<>();
      if (who.authorization() != null) {
        headers.addAll(List.of("Authorization", who.authorization()));
      }
      if (op.ticketToken() && who.ticketToken() != null) {
        headers.addAll(List.of("X-Ticket-Token", who.ticketToken()));
      }
      if (op.params("header").stream().anyMatch(p -> p.getString("name").equals("Idempotency-Key")) && rnd.nextBoolean()) {
        headers.addAll(List.of("Idempotency-Key", UUID.randomUUID().toString()));
      }
      String label = "";
      String path = op.path();
      for (JsonObject p : op.params("path")) {
        path = path.replace("{" + p.getString("name") + "}", tenants.ids.get(p.getString("name")));
      }
      if (family == Family.PATH && !op.params("path").isEmpty()) {
        String name = pick(op.params("path")).getString("name");
        String segment = pick(SEGMENTS);
        path = path.replace(tenants.ids.get(name), segment);
        label = name + "=" + segment;
      }
      String query = "";
      if (family == Family.QUERY) {
        query = "?" + pick(QUERIES);
        label = query;
      } else if (!op.params("query").isEmpty() && rnd.nextBoolean()) {
        query = "?limit=" + (1 + rnd.nextInt(3));
      }
      byte[] body = null;
      String type = "application/json";
      JsonObject schema = op.bodySchema() == null ? new JsonObject().put("type", "object") : op.bodySchema();
      Object valid = values.valid(schema, "", who.marker(), Map.of("queueId", tenants.ids.get("transferQueueId")));
      switch (family) {
        case BODY -> {
          FuzzValues.Mutated m = values.mutate(schema, (JsonObject) valid);
          label = m.label();
          body = utf8(FuzzValues.encode(m));
        }
        case RAW_BODY -> {
          String raw = pick(RAW_BODIES);
          label = FuzzValues.abbreviate(raw);
          body = utf8(raw);
        }
        case MEDIA -> {
          type = pick(MEDIA);
          label = type;
          body = utf8(type.contains("form") ? "a=%zz&b=%&c" : ((JsonObject) valid).encode());
        }
        case HEADER -> label = hostileHeader(headers);
        default -> {
          if (op.bodySchema() != null && (op.bodyRequired() || rnd.nextInt(4) > 0)) {
            body = utf8(((JsonObject) valid).encode());
          }
        }
      }
      if (body != null) {
        headers.addAll(List.of("Content-Type", type));
      }
      return new Request(family, label, op, who, path + query, body, headers);
    }

    /** Replaces or adds one header with a hostile value; returns what it did. */
    private String hostileHeader(List<String> headers) {
      String name = pick(List.of("Authorization", "X-Ticket-Token", "Idempotency-Key", "X-Display-Key",
          "X-Request-Id", "Content-Type"));
      String value = pick(List.of("", " ", "Bearer", "Bearer ", "Bearer vq_", "Bearer vq_" + "x".repeat(200),
          "Bearer a.b.c", "Bearer eyJhbGciOiJub25lIn0.e30.", "Basic Zm9vOmJhcg==", "x".repeat(5_000), "ä ö ü",
          "%00", "\u0001", "vqd_" + "z".repeat(40), UUID.randomUUID().toString(), "a,b", "\"quoted\""));
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
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(utf8(s));
    }
  }
}
