package dev.virtualqueue.queue;

/** A queue's display key: what lets a private board watch it and a kiosk issue any of its classes. */
public final class DisplayKeys {
  /** Sent by a ticket kiosk and a private board's access check: the queue's display key. */
  public static final String HEADER = "X-Display-Key";

  private DisplayKeys() {
  }
}
