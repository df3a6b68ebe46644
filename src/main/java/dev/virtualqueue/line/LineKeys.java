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

  public String[] lines(UUID queueId, int classes) {
    String[] keys = new String[classes];
    for (int i = 0; i < classes; i++) {
      keys[i] = line(queueId, i);
    }
    return keys;
  }
}
