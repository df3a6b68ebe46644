package dev.virtualqueue.counter;

import java.time.Instant;
import java.util.UUID;

/**
 * A service point of a queue ("Counter 3"); it calls people only while open. {@code openedBy} is
 * the staff user or API key that opened it, {@code openedByKind} says which ({@code staff} or
 * {@code api_key}).
 */
public record Counter(UUID id, UUID tenantId, UUID queueId, String name, String status, UUID openedBy,
                      String openedByKind, Instant openedAt, Instant createdAt) {
  public static final String OPEN = "open";
  public static final String CLOSED = "closed";

  public boolean open() {
    return OPEN.equals(status);
  }
}
