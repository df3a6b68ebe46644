package dev.virtualqueue.audit;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.http.RequestIds;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;

/**
 * The audit step of a mutating staff route: after authentication and the role check, before the
 * action, it appends the entry; only once the entry is committed does the action run. When the
 * append fails the request ends with 503 {@code audit.unavailable} and the action never runs, so
 * no change goes unaudited (docs/audit.md, "Written before the action").
 */
public final class AuditHandler {
  private final AuditLog log;
  private final Function<RoutingContext, AuditActor> actors;

  public AuditHandler(AuditLog log, Function<RoutingContext, AuditActor> actors) {
    this.log = log;
    this.actors = actors;
  }

  /** The handler for {@code method path}: one per route, the action name fixed at mount time. */
  public Handler<RoutingContext> forRoute(HttpMethod method, String path) {
    String action = AuditActions.of(method, path);
    String targetParam = lastParam(path);
    String route = method.name() + " " + path;
    List<String> fields = AuditActions.recorded(action);
    return ctx -> {
      JsonObject params = new JsonObject();
      ctx.pathParams().forEach((k, v) -> params.put(k, storable(v)));
      String target = targetParam == null ? null : storable(ctx.pathParam(targetParam));
      JsonObject details = new JsonObject().put("route", route).put("params", params);
      JsonObject changes = changes(ctx, fields);
      if (!changes.isEmpty()) {
        details.put("changes", changes);
      }
      AuditEntry entry = new AuditEntry(actors.apply(ctx), action, AuditActions.targetType(action), target,
          clientAddress(ctx), ctx.get(RequestIds.KEY), details);
      log.append(entry).onSuccess(seq -> ctx.next()).onFailure(t -> ctx.fail(unavailable()));
    };
  }

  /**
   * The named fields of the JSON body as sent (scalars and lists of scalars only; text made storable);
   * an unreadable body gives none, and the route then refuses it.
   */
  static JsonObject changes(RoutingContext ctx, List<String> fields) {
    JsonObject out = new JsonObject();
    if (fields.isEmpty() || ctx.body() == null || ctx.body().buffer() == null) {
      return out;
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException notAnObject) {
      return out;
    }
    for (String f : body == null ? List.<String>of() : fields) {
      Object v = body.getValue(f);
      if (v instanceof String s) {
        out.put(f, storable(s.length() > 200 ? s.substring(0, 200) : s));
      } else if (v instanceof Boolean || v instanceof Number) {
        out.put(f, v);
      } else if (v instanceof JsonArray a && a.size() <= 10 && a.stream().allMatch(x -> x instanceof String)) {
        out.put(f, new JsonArray(a.stream().map(x -> storable((String) x)).toList()));
      }
    }
    return out;
  }

  /**
   * A path parameter as Postgres can keep it: text and jsonb hold no NUL, and a hostile path may
   * carry one ({@code %00}); the route then refuses the value itself.
   */
  static String storable(String value) {
    return value == null ? null : value.replace('\u0000', '\uFFFD');
  }

  /** The 503 answered when an entry could not be written. */
  public static ApiException unavailable() {
    return new ApiException.Unavailable("audit.unavailable",
        "The audit log cannot be written right now, so the action was not carried out.", 5);
  }

  /** The client address of a request (the peer; behind a proxy the rate-limit work decides trust). */
  public static String clientAddress(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
  }

  private static String lastParam(String path) {
    String found = null;
    for (String s : path.split("/")) {
      if (s.startsWith(":")) {
        found = s.substring(1);
      }
    }
    return found;
  }
}
