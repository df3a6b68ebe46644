package dev.virtualqueue.ticket;

import java.util.Locale;

/** Where a ticket is in its life. Terminal states never change again. */
public enum TicketStatus {
  WAITING, CALLED, SERVING, SERVED, NO_SHOW, LEFT, EXPIRED, ADMITTED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TicketStatus parse(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }

  /** True while the person still holds a place or a counter. */
  public boolean active() {
    return this == WAITING || this == CALLED || this == SERVING;
  }
}
