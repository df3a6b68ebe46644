package dev.virtualqueue.http;

import dev.virtualqueue.http.FuzzRequests.Request;
import dev.virtualqueue.testing.Resp;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What the fuzz test saw: every broken rule, with the request that broke it, and a tally. */
final class FuzzFindings {
  private static final int MAX_LISTED = 40;

  private final List<String> secretsOfA;
  /** Tenant A's secrets that tenant B has itself sent (guessed ids in its attacks). */
  private final Set<String> sentByIntruder = new HashSet<>();
  private final List<String> problems = new ArrayList<>();
  private final Map<Integer, Integer> statuses = new TreeMap<>();
  private final Map<String, Integer> perOperation = new TreeMap<>();
  private int requests;
  private int hangs;
  private long slowestMillis;

  FuzzFindings(List<String> secretsOfA) {
    this.secretsOfA = secretsOfA;
  }

  void check(Request r, Resp resp, long millis) {
    if (r.who().intruder()) {
      String sent = sent(r);
      secretsOfA.stream().filter(sent::contains).forEach(sentByIntruder::add);
    }
    tally(r, millis);
    statuses.merge(resp.status(), 1, Integer::sum);
    int s = resp.status();
    if (s >= 500) {
      problem(s + " for " + r.describe() + " -> " + FuzzValues.abbreviate(resp.body()));
    }
    if (s >= 400 && s < 500 && !isProblem(resp)) {
      problem(s + " without a problem+json code for " + r.describe() + " -> " + FuzzValues.abbreviate(resp.body()));
    }
    String quoted = s >= 400 ? internals(resp.body(), sent(r)) : null;
    if (quoted != null) {
      problem(s + " quotes '" + quoted + "' for " + r.describe() + " -> " + FuzzValues.abbreviate(resp.body()));
    }
    boolean success = s >= 200 && s < 300;
    if (success && !r.op().isPublic() && r.who().name().equals("anonymous")) {
      problem(s + " to an anonymous caller for " + r.describe());
    }
    if (r.who().intruder() && !r.op().isPublic()) {
      if (success && !r.op().params("path").isEmpty()) {
        problem(s + " to tenant B on tenant A's resource for " + r.describe());
      }
      String leaked = leak(r, resp);
      if (leaked != null) {
        problem("tenant B saw tenant A's '" + leaked + "' in the answer to " + r.describe() + " -> "
            + FuzzValues.abbreviate(resp.body()));
      }
    }
  }

  void noAnswer(Request r, Exception e, long millis) {
    tally(r, millis);
    hangs++;
    problem("no answer after " + millis + " ms (" + e + ") for " + r.describe());
  }

  /** Records a broken rule; the request number says how far a replay with the same seed must get. */
  void problem(String text) {
    if (problems.size() < MAX_LISTED) {
      problems.add("request #" + requests + ": " + text);
    } else if (problems.size() == MAX_LISTED) {
      problems.add("... and more");
    }
  }

  private void tally(Request r, long millis) {
    requests++;
    perOperation.merge(r.op().toString(), 1, Integer::sum);
    slowestMillis = Math.max(slowestMillis, millis);
  }

  /** A parser's or the JVM's own words in an error: a client gets plain sentences. */
  private static String internals(String body, String sent) {
    for (String word : List.of("com.fasterxml", "JsonReadFeature", "StreamReadConstraints", "line: ", "Source:",
        "java.", "io.vertx", "io.netty", "dev.virtualqueue", "Exception", "SQLSTATE", "ERROR:", "(code ", "CTRL-CHAR",
        "`")) {
      if (body.contains(word) && !sent.contains(word)) { // an echo of the caller's own text is no leak
        return word;
      }
    }
    return null;
  }

  /** RFC 9457 problem+json with every member the OpenAPI Problem schema requires. */
  private static boolean isProblem(Resp resp) {
    String type = resp.contentType();
    if (type == null || !type.startsWith("application/problem+json")) {
      return false;
    }
    try {
      JsonObject p = new JsonObject(resp.body());
      return p.getString("code") != null && p.getInteger("status") == resp.status() && p.getString("instance") != null
          && p.getString("detail") != null && p.getString("type") != null && p.getString("title") != null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * A secret of tenant A in the answer that tenant B did not send itself (a problem's
   * {@code instance} echoes the path, which holds A's id when B used it).
   */
  /**
   * A secret of tenant A in the answer that this request did not send. Tenant B's own audit log
   * records the ids B tried (and was refused): those are no leak there, only there.
   */
  private String leak(Request r, Resp resp) {
    String sent = sent(r);
    String answer = resp.body().toLowerCase(Locale.ROOT);
    boolean ownAudit = r.op().path().startsWith("/api/v1/audit");
    for (String secret : secretsOfA) {
      boolean known = sent.contains(secret) || ownAudit && sentByIntruder.contains(secret);
      if (!known && answer.contains(secret.toLowerCase(Locale.ROOT))) {
        return secret;
      }
    }
    return null;
  }

  private static String sent(Request r) {
    return r.target() + " " + String.join(" ", r.headers()) + " "
        + (r.body() == null ? "" : new String(r.body(), StandardCharsets.UTF_8));
  }

  List<String> problems() {
    return problems;
  }

  int hangs() {
    return hangs;
  }

  Map<String, Integer> perOperation() {
    return perOperation;
  }

  String summary(long elapsedMillis) {
    return requests + " requests over " + perOperation.size() + " operations in " + elapsedMillis + " ms (slowest "
        + slowestMillis + " ms); statuses " + statuses + "; " + problems.size() + " problem(s)";
  }
}
