package dev.virtualqueue.monitoring;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL reading for the monitoring contract: the vector selectors of an expression
 * ({@code metric{label="v"}}, ranges and offsets dropped), and Grafana's variables replaced.
 */
final class PromQl {
  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
      "bool", "offset", "and", "or", "unless", "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
      "count_values", "bottomk", "topk", "quantile", "inf", "nan");
  private static final Set<String> LABEL_LIST_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
      "group_right");
  private static final Pattern TOKEN = Pattern.compile(
      "\\s+|(?<str>\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*')|(?<dur>(?:[0-9]+(?:ms|[smhdwy]))+(?![a-zA-Z0-9_]))"
          + "|(?<num>[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)"
          + "|(?<id>[a-zA-Z_:][a-zA-Z0-9_:]*)|(?<var>\\$\\{?[a-zA-Z_]+}?)|(?<sym>=~|!~|!=|==|>=|<=|[-+*/%^(){}\\[\\],=<>@])");

  private PromQl() {
  }

  /** Grafana's variables as the live test queries them: every tenant and queue, a 1-minute rate window. */
  static String substituteGrafana(String expr) {
    return expr.replace("$__rate_interval", "1m").replace("$__interval", "15s").replace("$__range", "1h")
        .replace("$tenant", ".*").replace("$queue", ".*");
  }

  /** The distinct vector selectors of an expression, in order of appearance. */
  static List<String> selectors(String expr) {
    List<String> tokens = tokens(expr);
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      if (t.equals("[")) {
        i = skipTo(tokens, i, "]");
      } else if (LABEL_LIST_KEYWORDS.contains(t) && next(tokens, i).equals("(")) {
        i = skipTo(tokens, i + 1, ")");
      } else if (t.equals("offset")) {
        i++;
      } else if (isIdentifier(t) && !KEYWORDS.contains(t) && !next(tokens, i).equals("(")) {
        if (next(tokens, i).equals("{")) {
          int end = skipTo(tokens, i + 1, "}");
          out.add(t + String.join("", tokens.subList(i + 1, end + 1)));
          i = end;
        } else {
          out.add(t);
        }
      } else if (t.equals("{") && (i == 0 || !isIdentifier(tokens.get(i - 1)) || KEYWORDS.contains(tokens.get(i - 1)))) {
        int end = skipTo(tokens, i, "}");
        out.add(String.join("", tokens.subList(i, end + 1)));
        i = end;
      }
    }
    return new ArrayList<>(out);
  }

  /** The metric name of a selector (null for a bare {...} selector). */
  static String metricName(String selector) {
    int brace = selector.indexOf('{');
    String name = brace < 0 ? selector : selector.substring(0, brace);
    return name.isEmpty() ? null : name;
  }

  private static List<String> tokens(String expr) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(expr);
    int pos = 0;
    while (pos < expr.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException("cannot read PromQL at " + pos + ": " + expr);
      }
      if (!m.group().isBlank()) {
        out.add(m.group());
      }
      pos = m.end();
    }
    return out;
  }

  private static boolean isIdentifier(String t) {
    return Character.isLetter(t.charAt(0)) || t.charAt(0) == '_' || t.charAt(0) == ':';
  }

  private static String next(List<String> tokens, int i) {
    return i + 1 < tokens.size() ? tokens.get(i + 1) : "";
  }

  private static int skipTo(List<String> tokens, int from, String close) {
    for (int j = from; j < tokens.size(); j++) {
      if (tokens.get(j).equals(close)) {
        return j;
      }
    }
    throw new IllegalArgumentException("unclosed " + tokens.get(from) + " in " + String.join(" ", tokens));
  }
}
