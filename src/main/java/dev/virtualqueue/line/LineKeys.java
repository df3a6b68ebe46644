package dev.virtualqueue.line;

import java.util.UUID;

/** Every Redis key the server uses, under one configurable prefix. */
public record LineKeys(String prefix) {

  /** Present only while Redis holds a complete mirror of the waiting lines. */
  public String ready() {
    return prefix + ":ready";
  }

  public String rebuildLock() {
    return prefix + ":rebuild-lock";
  }

  /** Last ticket number handed out in a queue. */
  public String counter(UUID queueId) {
    return prefix + ":q:" + queueId + ":n";
  }

  /** Weighted-interleave cursor of a queue as "class:count", mirrored after each call. */
  public String cursor(UUID queueId) {
    return prefix + ":q:" + queueId + ":rr";
  }

  /** Waiting tickets of one priority class, scored by ticket number. */
  public String line(UUID queueId, int classRank) {
    return prefix + ":q:" + queueId + ":c:" + classRank;
  }

  /**
   * Ticket ids recently taken out of a queue's lines (called, left, moved), scored by when: a
   * repair that read Postgres before the removal must not put them back.
   */
  public String gone(UUID queueId) {
    return prefix + ":q:" + queueId + ":gone";
  }

  public String linePattern() {
    return prefix + ":q:*:c:*";
  }

  /** The queue of a {@link #line} key. */
  public static UUID queueOfLine(String lineKey) {
    String[] parts = lineKey.split(":");
    return UUID.fromString(parts[parts.length - 3]);
  }

  /** The class rank of a {@link #line} key. */
  public static int classOfLine(String lineKey) {
    String[] parts = lineKey.split(":");
    return Integer.parseInt(parts[parts.length - 1]);
  }

  /** Connected ticket holders, scored by when their presence expires (epoch ms). */
  public String presenceLive() {
    return prefix + ":presence:live";
  }

  /** Ticket holders seen live, scored by when their socket last opened (epoch ms). */
  public String presenceSeen() {
    return prefix + ":presence:seen";
  }

  /** When an absent holder was first skipped by call-next (epoch ms). */
  public String skipped(UUID ticketId) {
    return prefix + ":skipped:" + ticketId;
  }

  /** The pub/sub channel of the live change feed. */
  public String events() {
    return prefix + ":events";
  }

  public String[] lines(UUID queueId, int classes) {
    String[] keys = new String[classes];
    for (int i = 0; i < classes; i++) {
      keys[i] = line(queueId, i);
    }
    return keys;
  }
}
