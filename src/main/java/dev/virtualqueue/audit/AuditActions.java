package dev.virtualqueue.audit;

import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stable dotted action names for staff routes, derived from the route template: a collection
 * POST is {@code <thing>.create} ({@code POST /api/v1/queues} is {@code queue.create}), PATCH or
 * PUT on a thing is {@code .update}, DELETE is {@code .delete}, and a verb after a thing names
 * itself ({@code POST /api/v1/queues/:queueId/counters/:counterId/open} is {@code counter.open}).
 * A few routes read better with a name of their own (see {@link #NAMED}).
 */
public final class AuditActions {
  private static final Map<String, String> NAMED = Map.of(
      "DELETE /api/v1/api-keys/:id", "api_key.revoke",
      "POST /api/v1/counters/:counterId/call-next", "ticket.call",
      "POST /api/v1/counters/:counterId/complete-and-call-next", "ticket.complete_and_call",
      "POST /api/v1/webhooks/:webhookId/deliveries/:deliveryId/retry", "webhook.delivery_retry",
      "PATCH /api/v1/tenant/settings", "tenant.settings_update");

  /**
   * Body fields an entry keeps, by action: what an owner reading the log needs to know of an
   * account or settings change (who was made what, who was disabled). Only these, never a password,
   * secret or token: every other body stays out of the log.
   */
  private static final Map<String, List<String>> RECORDED = Map.of(
      "staff.update", List.of("role", "disabled"),
      "staff.create", List.of("email", "role"),
      "api_key.create", List.of("name", "role"),
      "tenant.settings_update", List.of("requireTwoFactorFor"));

  private AuditActions() {
  }

  /** The body fields an entry of {@code action} keeps (empty: none). */
  public static List<String> recorded(String action) {
    return RECORDED.getOrDefault(action, List.of());
  }

  public static String of(HttpMethod method, String path) {
    String named = NAMED.get(method.name() + " " + path);
    if (named != null) {
      return named;
    }
    String[] raw = path.replaceFirst("^/api/v1/", "").split("/");
    List<String> literals = new ArrayList<>();
    for (String s : raw) {
      if (!s.startsWith(":")) {
        literals.add(s);
      }
    }
    String last = raw[raw.length - 1];
    boolean verb = !last.startsWith(":") && literals.size() > 1 && !last.endsWith("s")
        && !"staff".equals(last);
    if (verb) {
      String verbName = name(last) + (HttpMethod.DELETE.equals(method) ? "_delete" : "");
      return singular(literals.get(literals.size() - 2)) + "." + verbName;
    }
    String thing = singular(literals.get(literals.size() - 1));
    if (HttpMethod.DELETE.equals(method)) {
      return thing + ".delete";
    }
    return thing + (HttpMethod.POST.equals(method) && !last.startsWith(":") ? ".create" : ".update");
  }

  /** The target type of an action: the part before the dot. */
  public static String targetType(String action) {
    return action.substring(0, action.indexOf('.'));
  }

  private static String singular(String plural) {
    String s = name(plural);
    if (s.endsWith("ies")) {
      return s.substring(0, s.length() - 3) + "y";
    }
    return s.endsWith("s") ? s.substring(0, s.length() - 1) : s;
  }

  private static String name(String segment) {
    return segment.replace('-', '_').toLowerCase(Locale.ROOT);
  }
}
