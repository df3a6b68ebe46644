package dev.virtualqueue.webhook;

import dev.virtualqueue.common.ApiException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The events an endpoint receives: {@code ["*"]} for all (including types added later), or a list
 * of wire names. Unknown names are refused, never ignored, so a typo does not silently subscribe to
 * nothing.
 */
public record Subscription(boolean all, Set<WebhookEvent> events) {
  public static final String WILDCARD = "*";
  public static final String REQUIRED = "webhook.events_required";
  public static final String UNKNOWN = "webhook.unknown_event";
  public static final String INVALID = "webhook.events_invalid";

  public Subscription {
    events = all ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(events));
  }

  /** Parses a request's {@code events}; each refusal is a 400 with a stable code. */
  public static Subscription parse(List<String> names) {
    if (names == null || names.isEmpty()) {
      throw new ApiException.BadRequest(REQUIRED, "Field 'events' needs [\"*\"] or at least one event type.");
    }
    if (names.contains(WILDCARD)) {
      if (names.size() != 1) {
        throw new ApiException.BadRequest(INVALID, "Field 'events' is either [\"*\"] or a list of event types.");
      }
      return new Subscription(true, Set.of());
    }
    Set<WebhookEvent> events = EnumSet.noneOf(WebhookEvent.class);
    for (String name : names) {
      WebhookEvent e = WebhookEvent.fromWire(name).orElseThrow(() -> new ApiException.BadRequest(UNKNOWN,
          "Unknown event type '" + printable(name) + "'; known: " + known() + "."));
      events.add(e);
    }
    return new Subscription(false, events);
  }

  public boolean matches(WebhookEvent event) {
    return all || events.contains(event);
  }

  /** The stored and returned form: {@code ["*"]} or the wire names in a fixed order. */
  public List<String> wireNames() {
    if (all) {
      return List.of(WILDCARD);
    }
    List<String> out = new ArrayList<>();
    events.forEach(e -> out.add(e.wireName()));
    return List.copyOf(out);
  }

  private static String known() {
    List<String> names = new ArrayList<>();
    for (WebhookEvent e : WebhookEvent.values()) {
      names.add(e.wireName());
    }
    return String.join(", ", names);
  }

  /** A name echoed in an error: cut short and without control characters. */
  private static String printable(String name) {
    if (name == null) {
      return "null";
    }
    String cut = name.length() > 64 ? name.substring(0, 64) + "..." : name;
    return cut.replaceAll("\\p{Cc}", "?");
  }
}
