package dev.virtualqueue.queue;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.OpeningHours;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A queue as stored, including the weighted-interleave cursor and measured service time. */
public record Queue(UUID id, UUID tenantId, String slug, String name, String mode, String ticketPrefix,
                    Integer capacity, List<PriorityClass> priorityClasses, String priorityPolicy,
                    boolean allowDuplicates, String status, OpeningHours openingHours,
                    int serviceTimeGuessSeconds, ServiceStats serviceStats, int rrClass, int rrCount,
                    int version, Instant createdAt, Instant updatedAt, AbsentPolicy absentPolicy,
                    QueueMessages messages, WaitingRoom waitingRoom, JoinLimit joinLimit) {

  public static final String OPEN = "open";
  public static final String PAUSED = "paused";
  public static final String CLOSED = "closed";
  public static final String STRICT = "strict";
  public static final String WEIGHTED = "weighted";
  public static final String SERVICE = "service";
  public static final String WAITING_ROOM = "waiting_room";

  /**
   * Why a join is refused at {@code now} (paused, closed, outside its opening hours, a waiting room
   * closed or not open yet), or null: it accepts.
   */
  public ApiException joinRefusal(Instant now) {
    if (waitingRoom != null && OPEN.equals(status)) {
      ApiException refused = waitingRoom.joinRefusal(now);
      if (refused != null) {
        return refused;
      }
    }
    switch (status) {
      case PAUSED -> {
        return new ApiException.Conflict("queue.paused", "The queue is paused; joining is not possible right now.");
      }
      case CLOSED -> {
        return new ApiException.Conflict("queue.closed", "The queue is closed.");
      }
      default -> {
        return openingHours != null && !openingHours.isOpen(now)
            ? new ApiException.Conflict("queue.outside_hours", "The queue is outside its opening hours.") : null;
      }
    }
  }

  /** Whether the queue takes tickets at {@code now}. */
  public boolean accepting(Instant now) {
    return joinRefusal(now) == null;
  }

  /** The same queue in {@code newStatus} (open, paused or closed). */
  public Queue withStatus(String newStatus) {
    return new Queue(id, tenantId, slug, name, mode, ticketPrefix, capacity, priorityClasses, priorityPolicy,
        allowDuplicates, newStatus, openingHours, serviceTimeGuessSeconds, serviceStats, rrClass, rrCount, version,
        createdAt, updatedAt, absentPolicy, messages, waitingRoom, joinLimit);
  }

  /** Index of the named class, or -1. */
  public int classIndex(String className) {
    for (int i = 0; i < priorityClasses.size(); i++) {
      if (priorityClasses.get(i).name().equals(className)) {
        return i;
      }
    }
    return -1;
  }

  public QueueMessages messagesOrDefault() {
    return messages == null ? QueueMessages.DEFAULT : messages;
  }

  public AbsentPolicy absentPolicyOrDefault() {
    return absentPolicy == null ? AbsentPolicy.DEFAULT : absentPolicy;
  }

  /** Whether this queue is a waiting room (it then has {@link #waitingRoom} settings). */
  public boolean isWaitingRoom() {
    return WAITING_ROOM.equals(mode);
  }

  public int[] weights() {
    return priorityClasses.stream().mapToInt(PriorityClass::weightOrOne).toArray();
  }

  public boolean weighted() {
    return WEIGHTED.equals(priorityPolicy);
  }

  /** EWMA of seconds per served ticket and of its square, with the sample count. */
  public record ServiceStats(Double meanSeconds, Double meanSquareSeconds, int samples) {
  }
}
