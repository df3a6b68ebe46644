package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The authorization grid: every operation of the served OpenAPI document (which
 * {@code OpenApiDocumentTest} keeps in step with the route table) × every kind of caller, each with
 * the status written in {@code src/test/resources/authz/grid.tsv}. A route without a row fails, and
 * so does a row that disagrees with the operation's {@code x-least-role}. Every denial (401, 403,
 * 404) leaves the database as it was; every allowed call gets neither 401 nor 403.
 */
class AuthorizationGridIT {
  private static final Path GRID = Path.of("src/test/resources/authz/grid.tsv");

  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("VQ_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true"));

  private static GridCallers callers;
  private static Map<String, GridRow> grid;
  private static Map<String, String> leastRoles;

  @BeforeAll
  static void setUp() throws IOException {
    grid = GridRow.read(GRID);
    leastRoles = operations();
    callers = GridCallers.create(server);
  }

  @Test
  void everyOperationHasARowThatMatchesItsLeastRole() {
    assertThat(grid.keySet()).as("rows of %s against the served OpenAPI operations", GRID)
        .containsExactlyInAnyOrderElementsOf(leastRoles.keySet());
    SoftAssertions soft = new SoftAssertions();
    for (GridRow row : grid.values()) {
      soft.assertThat(row.expected()).as("%s: the row against x-least-role %s", row.operation(),
          leastRoles.get(row.operation())).isEqualTo(GridRow.derive(row.operation(), leastRoles.get(row.operation())));
    }
    soft.assertAll();
  }

  @Test
  void everyCallerGetsItsStatusAndNoDenialChangesAnything() {
    SoftAssertions soft = new SoftAssertions();
    for (GridRow row : grid.values()) {
      for (GridCaller who : GridCaller.values()) {
        String expected = row.expected().get(who);
        if (GridRow.ALLOWED.equals(expected)) {
          Resp r = callers.send(row, who, callers.freshFixture(), () -> { });
          soft.assertThat(r.status()).as("%s as %s (allowed): %s", row.operation(), who, r)
              .isNotIn(401, 403).isLessThan(500);
        } else {
          String[] before = new String[1];
          Resp r = callers.send(row, who, callers.shared(), () -> before[0] = callers.fingerprint());
          soft.assertThat(r.status()).as("%s as %s: %s", row.operation(), who, r)
              .isEqualTo(Integer.parseInt(expected));
          soft.assertThat(callers.fingerprint()).as("%s as %s was refused, yet the data changed", row.operation(), who)
              .isEqualTo(before[0]);
        }
      }
    }
    soft.assertAll();
  }

  /** "METHOD /path" → x-least-role ("public" when the operation asks for no credential). */
  private static Map<String, String> operations() {
    JsonObject doc = new JsonObject(server.http("GET", "/api/v1/openapi.json", null).body());
    Map<String, String> ops = new LinkedHashMap<>();
    Set<String> methods = Set.of("get", "post", "put", "patch", "delete");
    for (String path : new TreeSet<>(doc.getJsonObject("paths").fieldNames())) {
      JsonObject item = doc.getJsonObject("paths").getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (methods.contains(method)) {
          JsonObject op = item.getJsonObject(method);
          ops.put(method.toUpperCase(Locale.ROOT) + " " + path, op.getString("x-least-role", "public"));
        }
      }
    }
    return ops;
  }

  static List<String> lines(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#")) {
        out.add(t);
      }
    }
    return out;
  }
}
