package dev.virtualqueue.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of {@code authz/grid.tsv}: an operation ("METHOD /path", a tab) and the status each
 * {@link GridCaller} gets, in column order: {@code A} for allowed (neither 401 nor 403), or the
 * refusal's status.
 */
record GridRow(String operation, Map<GridCaller, String> expected) {
  static final String ALLOWED = "A";

  String method() {
    return operation.substring(0, operation.indexOf(' '));
  }

  String path() {
    return operation.substring(operation.indexOf(' ') + 1);
  }

  static Map<String, GridRow> read(Path file) throws IOException {
    Map<String, GridRow> rows = new LinkedHashMap<>();
    for (String line : AuthorizationGridIT.lines(file)) {
      String[] halves = line.split("\t+", 2);
      String[] cells = halves[1].strip().split("\\s+");
      if (cells.length != GridCaller.values().length) {
        throw new IllegalStateException(file + ": " + halves[0] + " has " + cells.length + " cells, not "
            + GridCaller.values().length);
      }
      Map<GridCaller, String> expected = new EnumMap<>(GridCaller.class);
      for (GridCaller who : GridCaller.values()) {
        expected.put(who, cells[who.ordinal()]);
      }
      if (rows.put(halves[0].strip(), new GridRow(halves[0].strip(), expected)) != null) {
        throw new IllegalStateException(file + ": " + halves[0] + " twice");
      }
    }
    return rows;
  }

  /**
   * What the rules say a caller gets from an operation whose least role is {@code leastRole}:
   * public operations let everyone through; an operation for a ticket's holder wants its token
   * (401 without it); a staff operation wants a live staff credential (401), the role (403), and
   * this tenant (404 for another tenant's owner where the path names a resource). The GET of a
   * ticket takes either its holder's token or staff.
   */
  static Map<GridCaller, String> derive(String operation, String leastRole) {
    Map<GridCaller, String> out = new EnumMap<>(GridCaller.class);
    boolean namesResource = operation.contains("{");
    for (GridCaller who : GridCaller.values()) {
      String cell;
      if ("public".equals(leastRole)) {
        cell = ALLOWED;
      } else if ("ticket-holder".equals(leastRole)) {
        cell = who == GridCaller.HOLDER ? ALLOWED : "401";
      } else if (who.role == null) {
        cell = who == GridCaller.HOLDER && operation.equals("GET /api/v1/tickets/{ticketId}") ? ALLOWED : "401";
      } else if (!who.role.atLeast(Role.parse(leastRole))) {
        cell = "403";
      } else {
        cell = who == GridCaller.OTHER_OWNER && namesResource ? "404" : ALLOWED;
      }
      out.put(who, cell);
    }
    return out;
  }
}
