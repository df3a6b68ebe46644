package dev.virtualqueue.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An HTTP {@code Retry-After} value (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date in any of
 * the three forms a recipient must accept (IMF-fixdate, RFC 850, asctime). Anything else is ignored.
 */
final class RetryAfter {
  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,10}");
  private static final List<DateTimeFormatter> DATES = List.of(
      DateTimeFormatter.RFC_1123_DATE_TIME,
      // RFC 850 has a two-digit year: read as 1970-2069
      new DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-").appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
          .appendPattern(" HH:mm:ss zzz").toFormatter(Locale.US),
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC));

  private RetryAfter() {
  }

  /** The delay the value asks for from {@code now} (0 for a date in the past), or empty. */
  static Optional<Duration> parse(String value, Instant now) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.strip();
    if (SECONDS.matcher(v).matches()) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
    }
    for (DateTimeFormatter f : DATES) {
      try {
        Duration d = Duration.between(now, ZonedDateTime.parse(v, f).toInstant());
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException e) {
        // try the next form
      }
    }
    return Optional.empty();
  }
}
