package dev.virtualqueue.webhook;

import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The IPv4 forms glibc's {@code inet_aton} (and so {@code getaddrinfo}) accepts: one to four parts,
 * each decimal, octal (leading 0) or hex (0x), the last part filling the remaining bytes:
 * {@code 127.1}, {@code 0x7f.1}, {@code 2130706433}, {@code 017700000001}, {@code 0x7f000001}. A host
 * whose last label is a number is one of these or is refused, never sent to DNS.
 */
final class InetAton {
  private static final Pattern NUMERIC_LABEL = Pattern.compile("(?i)0x[0-9a-f]*|[0-9]+");

  private InetAton() {
  }

  /** Whether {@code host} (lower-case, no trailing dot) must be read as an IPv4 number. */
  static boolean looksNumeric(String host) {
    return NUMERIC_LABEL.matcher(host.substring(host.lastIndexOf('.') + 1)).matches();
  }

  /** The 32-bit address, or empty when {@code host} is not a valid inet_aton form. */
  static OptionalLong parse(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length > 4) {
      return OptionalLong.empty();
    }
    long value = 0;
    for (int i = 0; i < parts.length; i++) {
      long part = part(parts[i]);
      boolean last = i == parts.length - 1;
      long max = last ? (1L << (8 * (4 - i))) - 1 : 255;
      if (part < 0 || part > max) {
        return OptionalLong.empty();
      }
      value = last ? value | part : value | (part << (8 * (3 - i)));
    }
    return OptionalLong.of(value);
  }

  /** One part's value, or -1 when it is not a number in its base (or absurdly long). */
  private static long part(String p) {
    String digits = p;
    int radix = 10;
    if (p.length() > 1 && (p.charAt(1) == 'x' || p.charAt(1) == 'X') && p.charAt(0) == '0') {
      digits = p.substring(2);
      radix = 16;
    } else if (p.length() > 1 && p.charAt(0) == '0') {
      digits = p.substring(1);
      radix = 8;
    }
    if (digits.isEmpty() || digits.length() > 32) {
      return -1;
    }
    long value = 0;
    for (char c : digits.toCharArray()) {
      int d = Character.digit(c, radix);
      if (d < 0 || c > 'z' || value > 0xFFFFFFFFL) {
        return -1;
      }
      value = value * radix + d;
    }
    return value;
  }
}
