package dev.virtualqueue.common;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Weekly opening hours in a time zone, e.g. {@code {"timezone":"Europe/Paris",
 * "weekly":{"mon":["09:00-12:00","13:00-17:00"]}}}. Days without an entry are closed.
 */
public record OpeningHours(String timezone, Map<String, List<String>> weekly) {
  private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

  /** Throws a 400 for an unknown zone, day or a malformed or inverted range. */
  public void validate() {
    try {
      ZoneId.of(timezone == null ? "" : timezone);
    } catch (DateTimeException e) {
      throw Errors.invalid("openingHours.timezone '" + timezone + "' is not a known time zone.");
    }
    if (weekly == null) {
      throw Errors.invalid("openingHours.weekly is required.");
    }
    weekly.forEach((day, ranges) -> {
      if (!DAYS.contains(day)) {
        throw Errors.invalid("openingHours.weekly has an unknown day '" + day + "' (use mon..sun).");
      }
      if (ranges == null || ranges.size() > 8) {
        throw Errors.invalid("openingHours.weekly." + day + " must list at most 8 ranges.");
      }
      ranges.forEach(r -> parse(day, r));
    });
  }

  /** True when {@code at} falls in one of the ranges of its local day. */
  public boolean isOpen(Instant at) {
    ZonedDateTime local = at.atZone(ZoneId.of(timezone));
    String day = DAYS.get(local.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue());
    LocalTime time = local.toLocalTime();
    for (String range : weekly.getOrDefault(day, List.of())) {
      LocalTime[] r = parse(day, range);
      if (!time.isBefore(r[0]) && time.isBefore(r[1])) {
        return true;
      }
    }
    return false;
  }

  private static LocalTime[] parse(String day, String range) {
    String[] parts = range == null ? new String[0] : range.split("-");
    try {
      if (parts.length == 2) {
        LocalTime from = LocalTime.parse(parts[0].trim());
        LocalTime to = parts[1].trim().equals("24:00") ? LocalTime.MAX : LocalTime.parse(parts[1].trim());
        if (from.isBefore(to)) {
          return new LocalTime[] {from, to};
        }
      }
    } catch (DateTimeParseException ignored) {
      // reported below
    }
    throw Errors.invalid("openingHours.weekly." + day.toLowerCase(Locale.ROOT) + " range '" + range
        + "' must look like 09:00-17:00.");
  }
}
