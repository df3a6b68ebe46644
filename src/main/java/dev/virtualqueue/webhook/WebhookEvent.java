package dev.virtualqueue.webhook;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The event types a webhook can subscribe to, with their wire names (the body's {@code type}). */
public enum WebhookEvent {
  TICKET_CREATED("ticket.created"),
  TICKET_CALLED("ticket.called"),
  TICKET_RECALLED("ticket.recalled"),
  TICKET_SERVING("ticket.serving"),
  TICKET_SERVED("ticket.served"),
  TICKET_NO_SHOW("ticket.no_show"),
  TICKET_LEFT("ticket.left"),
  TICKET_EXPIRED("ticket.expired"),
  TICKET_TRANSFERRED("ticket.transferred"),
  TICKET_ADMITTED("ticket.admitted"),
  QUEUE_UPDATED("queue.updated"),
  QUEUE_PAUSED("queue.paused"),
  QUEUE_RESUMED("queue.resumed"),
  QUEUE_CLOSED("queue.closed"),
  COUNTER_OPENED("counter.opened"),
  COUNTER_CLOSED("counter.closed");

  private static final Map<String, WebhookEvent> BY_WIRE = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(WebhookEvent::wireName, Function.identity()));

  private final String wireName;

  WebhookEvent(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The type of a wire name, exactly as written (names are lower case). */
  public static Optional<WebhookEvent> fromWire(String name) {
    return Optional.ofNullable(name == null ? null : BY_WIRE.get(name));
  }
}
