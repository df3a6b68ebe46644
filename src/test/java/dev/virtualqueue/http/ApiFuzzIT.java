package dev.virtualqueue.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.http.FuzzOperations.Op;
import dev.virtualqueue.http.FuzzRequests.Family;
import dev.virtualqueue.http.FuzzRequests.Request;
import dev.virtualqueue.http.FuzzTenants.Identity;
import dev.virtualqueue.testing.RawHttp;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
 * {@code VQ_FUZZ_SEED}) to get the same requests in the same order. The random phase runs for
 * {@code vq.fuzz.millis} (30 s): a finding names its request number, and a replay on a slower
 * machine may need more time to reach it.
 */
class ApiFuzzIT {
  private static final long BUDGET_MILLIS = Long.getLong("vq.fuzz.millis", 30_000);
  private static final int TIMEOUT_MILLIS = 10_000;
  private static final int MAX_HANGS = 3;

  static long seed;
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("VQ_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true"));
  static FuzzTenants tenants;
  static FuzzOperations document;
  static List<Op> ops;

  @BeforeAll
  static void start() {
    seed = seed();
    System.out.println("ApiFuzzIT seed=" + seed + " (rerun: -Dvq.fuzz.seed=" + seed + " or VQ_FUZZ_SEED=" + seed + ")");
    tenants = new FuzzTenants(server);
    document = new FuzzOperations(new JsonObject(server.http("GET", "/api/v1/openapi.json", null).body()));
    ops = document.all();
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
}
