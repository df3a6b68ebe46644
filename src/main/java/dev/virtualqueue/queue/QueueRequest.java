package dev.virtualqueue.queue;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Errors;
import dev.virtualqueue.common.OpeningHours;
import dev.virtualqueue.common.Validate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Body of create (POST) and update (PATCH) of a queue. On update, absent fields keep their value.
 */
public record QueueRequest(String slug, String name, String mode, String ticketPrefix, Integer capacity,
                           List<PriorityClass> priorityClasses, String priorityPolicy, Boolean allowDuplicates,
                           OpeningHours openingHours, Integer serviceTimeGuessSeconds, AbsentPolicy absentPolicy,
                           Integer notifyAhead, Integer notifyMinutes, Map<String, QueueMessages.Text> mailTexts,
                           WaitingRoom waitingRoom, JoinLimit joinLimit) {
  private static final Pattern SLUG = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
  private static final Pattern PREFIX = Pattern.compile("^[A-Z]{1,3}$");
  private static final Pattern CLASS_NAME = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,31}$");
  private static final List<PriorityClass> DEFAULT_CLASSES = List.of(new PriorityClass("standard", 1, true));

  /** Applies this request on top of {@code base} (null for a new queue) and validates the result. */
  public Queue applyTo(Queue base, UUID id, UUID tenantId) {
    boolean create = base == null;
    String s = Validate.matches("slug", slug, SLUG, "lowercase letters, digits and dashes", create);
    String n = Validate.text("name", name, 100, create);
    String m = Validate.oneOf("mode", mode, create ? Queue.SERVICE : base.mode(), Queue.SERVICE, Queue.WAITING_ROOM);
    String p = Validate.matches("ticketPrefix", ticketPrefix, PREFIX, "1 to 3 capital letters", false);
    Integer cap = capacity == null ? (create ? null : base.capacity())
        : (Integer) Validate.range("capacity", capacity, 1, 1_000_000, 0);
    List<PriorityClass> classes = priorityClasses == null ? (create ? DEFAULT_CLASSES : base.priorityClasses())
        : checkClasses(priorityClasses);
    String policy = Validate.oneOf("priorityPolicy", priorityPolicy, create ? Queue.STRICT : base.priorityPolicy(),
        Queue.STRICT, Queue.WEIGHTED);
    if (openingHours != null) {
      openingHours.validate();
    }
    int guess = Validate.range("serviceTimeGuessSeconds", serviceTimeGuessSeconds, 1, 86_400,
        create ? 300 : base.serviceTimeGuessSeconds());
    return new Queue(id, tenantId, s != null ? s : base.slug(), n != null ? n : base.name(), m,
        p != null ? p : create ? "A" : base.ticketPrefix(), cap, classes, policy,
        allowDuplicates != null ? allowDuplicates : create || base.allowDuplicates(),
        create ? Queue.OPEN : base.status(), openingHours != null ? openingHours : create ? null : base.openingHours(),
        guess, create ? null : base.serviceStats(), 0, 0, create ? 0 : base.version(),
        create ? null : base.createdAt(), null,
        absentPolicy != null ? absentPolicy.validated() : create ? AbsentPolicy.DEFAULT : base.absentPolicy(),
        (create ? QueueMessages.DEFAULT : base.messagesOrDefault()).with(notifyAhead, notifyMinutes, mailTexts),
        room(m, create ? null : base.waitingRoom(), id),
        joinLimit != null ? joinLimit.validated() : create ? null : base.joinLimit());
  }

  /** The waiting-room settings for mode {@code m}: this request's over the old ones; none for a service queue. */
  private WaitingRoom room(String m, WaitingRoom old, UUID id) {
    if (!Queue.WAITING_ROOM.equals(m)) {
      if (waitingRoom != null) {
        throw new ApiException.BadRequest("request.invalid_value",
            "Field 'waitingRoom' is only for a queue with mode waiting_room.");
      }
      return null;
    }
    if (waitingRoom == null) {
      return old != null ? old : WaitingRoom.defaults(id);
    }
    return waitingRoom.validated(old, id);
  }

  private static List<PriorityClass> checkClasses(List<PriorityClass> classes) {
    if (classes.isEmpty() || classes.size() > 10) {
      throw Errors.invalid("priorityClasses must list 1 to 10 classes.");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < classes.size(); i++) {
      PriorityClass c = classes.get(i);
      if (c == null) {
        throw Errors.invalid("priorityClasses[" + i + "] must be an object.");
      }
      Validate.matches("priorityClasses[" + i + "].name", c.name(), CLASS_NAME, "a short lowercase name", true);
      Validate.range("priorityClasses[" + i + "].weight", c.weight(), 1, 100, 1);
      if (!seen.add(c.name())) {
        throw new ApiException.BadRequest("request.invalid_value", "Priority class '" + c.name() + "' is listed twice.");
      }
    }
    return List.copyOf(classes);
  }
}
