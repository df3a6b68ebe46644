package dev.virtualqueue.audit;

import dev.virtualqueue.common.Json;
import java.util.List;
import java.util.Map;

/** RFC 4180 lines of the CSV export; a cell that a spreadsheet would run as a formula is prefixed with '. */
final class AuditCsv {
  private static final List<String> COLUMNS = List.of("seq", "at", "actor", "actorKind", "action", "targetType",
      "targetId", "clientAddr", "requestId", "details", "prevHash", "hash");
  static final String HEADER = String.join(",", COLUMNS) + "\r\n";

  private AuditCsv() {
  }

  static String line(Map<String, Object> row) {
    StringBuilder b = new StringBuilder();
    for (String c : COLUMNS) {
      Object v = row.get(c);
      String s = v == null ? "" : v instanceof Map ? Json.writeString(v) : v.toString();
      if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0) {
        s = "'" + s;
      }
      b.append(b.length() == 0 ? "" : ",").append('"').append(s.replace("\"", "\"\"")).append('"');
    }
    return b.append("\r\n").toString();
  }
}
