package dev.virtualqueue.monitoring;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Alertmanager's time_interval semantics for the fields our configuration uses (weekdays, times,
 * location): weekday ranges are inclusive, a time range includes its start and excludes its end,
 * both are read in the interval's location. MonitoringAlertmanagerIT checks that the real
 * Alertmanager agrees with this reading.
 */
record TimeInterval(String name, List<Spec> specs) {

  record Spec(List<DayOfWeek[]> weekdays, List<LocalTime[]> times, ZoneId location) {
    boolean contains(Instant at) {
      ZonedDateTime local = at.atZone(location);
      boolean day = weekdays.isEmpty() || weekdays.stream()
          .anyMatch(r -> local.getDayOfWeek().compareTo(r[0]) >= 0 && local.getDayOfWeek().compareTo(r[1]) <= 0);
      LocalTime t = local.toLocalTime();
      boolean time = times.isEmpty() || times.stream()
          .anyMatch(r -> !t.isBefore(r[0]) && (r[1] == null || t.isBefore(r[1])));
      return day && time;
    }
  }

  boolean contains(Instant at) {
    return specs.stream().anyMatch(s -> s.contains(at));
  }

  @SuppressWarnings("unchecked")
  static TimeInterval named(String name) {
    for (Map<String, Object> ti : (List<Map<String, Object>>) Monitoring.yaml(Monitoring.ALERTMANAGER_YML).get("time_intervals")) {
      if (name.equals(ti.get("name"))) {
        List<Spec> specs = new ArrayList<>();
        for (Map<String, Object> s : (List<Map<String, Object>>) ti.get("time_intervals")) {
          specs.add(spec(s));
        }
        return new TimeInterval(name, specs);
      }
    }
    throw new IllegalArgumentException("no time interval " + name + " in alertmanager.yml");
  }

  @SuppressWarnings("unchecked")
  private static Spec spec(Map<String, Object> s) {
    List<DayOfWeek[]> days = new ArrayList<>();
    for (String d : (List<String>) s.getOrDefault("weekdays", List.of())) {
      String[] ends = d.split(":");
      days.add(new DayOfWeek[] {day(ends[0]), day(ends[ends.length - 1])});
    }
    List<LocalTime[]> times = new ArrayList<>();
    for (Map<String, String> t : (List<Map<String, String>>) s.getOrDefault("times", List.of())) {
      String end = t.get("end_time");
      times.add(new LocalTime[] {LocalTime.parse(t.get("start_time")), "24:00".equals(end) ? null : LocalTime.parse(end)});
    }
    return new Spec(days, times, ZoneId.of((String) s.getOrDefault("location", "UTC")));
  }

  private static DayOfWeek day(String name) {
    return DayOfWeek.valueOf(name.trim().toUpperCase(Locale.ROOT));
  }
}
