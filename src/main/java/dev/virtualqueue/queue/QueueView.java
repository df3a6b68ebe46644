package dev.virtualqueue.queue;

import dev.virtualqueue.common.OpeningHours;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A queue on the wire (the interleave cursor and raw statistics stay inside). */
public record QueueView(UUID id, String slug, String name, String mode, String ticketPrefix, Integer capacity,
                        List<PriorityClass> priorityClasses, String priorityPolicy, boolean allowDuplicates,
                        String status, OpeningHours openingHours, int serviceTimeGuessSeconds,
                        Double measuredServiceSeconds, AbsentPolicy absentPolicy, int notifyAhead,
                        Integer notifyMinutes, Map<String, QueueMessages.Text> mailTexts, WaitingRoom waitingRoom,
                        JoinLimit joinLimit, Instant createdAt, Instant updatedAt) {

  public static QueueView of(Queue q) {
    QueueMessages m = q.messagesOrDefault();
    Double measured = q.serviceStats() == null ? null : q.serviceStats().meanSeconds();
    return new QueueView(q.id(), q.slug(), q.name(), q.mode(), q.ticketPrefix(), q.capacity(), q.priorityClasses(),
        q.priorityPolicy(), q.allowDuplicates(), q.status(), q.openingHours(), q.serviceTimeGuessSeconds(),
        measured == null ? null : Math.round(measured * 10) / 10.0, q.absentPolicyOrDefault(), m.notifyAhead(),
        m.notifyMinutes(), m.mailTexts(), q.waitingRoom(), q.joinLimit(), q.createdAt(), q.updatedAt());
  }
}
