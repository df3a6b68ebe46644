package dev.virtualqueue.monitoring;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moves the thresholds of an alert expression toward the values that make it fire: every
 * {@code > N} and {@code >= N} becomes {@code > (1 - f) * N}, every {@code < N} and {@code <= N}
 * becomes {@code < (1 + f) * N}. Only comparisons whose right-hand side starts with a number
 * literal are thresholds ({@code > 14.4 * 0.001}, {@code < 0.5 * (x offset 1w)}); equality tests
 * and comparisons of two series are left alone, as is everything inside string literals.
 */
final class Thresholds {
  private static final Pattern NUMBER = Pattern.compile("\\s*(?:bool\\s+)?([0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)(?![0-9a-zA-Z_.])");

  private Thresholds() {
  }

  /** The rewritten expression and how many non-zero thresholds it moved (a zero cannot move). */
  record Loosened(String expr, int moved) {
  }

  static Loosened loosen(String expr, double fraction) {
    StringBuilder out = new StringBuilder(expr.length() + 32);
    int moved = 0;
    int i = 0;
    while (i < expr.length()) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        int end = endOfString(expr, i);
        out.append(expr, i, end);
        i = end;
        continue;
      }
      if (c == '>' || c == '<') {
        int opEnd = i + 1 < expr.length() && expr.charAt(i + 1) == '=' ? i + 2 : i + 1;
        Matcher m = NUMBER.matcher(expr).region(opEnd, expr.length());
        out.append(expr, i, opEnd);
        if (m.lookingAt()) {
          double factor = c == '>' ? 1 - fraction : 1 + fraction;
          out.append(expr, opEnd, m.start(1)).append(factor).append(" * ").append(m.group(1));
          if (Double.parseDouble(m.group(1)) != 0) {
            moved++;
          }
          i = m.end();
        } else {
          i = opEnd;
        }
        continue;
      }
      out.append(c);
      i++;
    }
    return new Loosened(out.toString(), moved);
  }

  private static int endOfString(String expr, int start) {
    char quote = expr.charAt(start);
    int i = start + 1;
    while (i < expr.length() && expr.charAt(i) != quote) {
      i += expr.charAt(i) == '\\' && quote != '`' ? 2 : 1;
    }
    return Math.min(i + 1, expr.length());
  }
}
