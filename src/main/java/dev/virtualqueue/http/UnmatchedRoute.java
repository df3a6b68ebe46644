package dev.virtualqueue.http;

import dev.virtualqueue.common.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The last route: a request no route took. A path some route serves with other methods gets 405
 * with {@code Allow} (RFC 9110 §15.5.6); anything else is 404. The table is read once from the
 * router's own routes, so it cannot drift from them.
 */
public final class UnmatchedRoute implements Handler<RoutingContext> {
  private record Entry(Pattern path, Set<HttpMethod> methods) {
  }

  private final List<Entry> table;

  private UnmatchedRoute(List<Entry> table) {
    this.table = table;
  }

  /** Built after every route is mounted. */
  public static UnmatchedRoute of(Router router) {
    List<Entry> table = new ArrayList<>();
    for (Route r : router.getRoutes()) {
      if (r.getPath() != null && r.methods() != null && !r.methods().isEmpty()) {
        table.add(new Entry(pattern(r.getPath(), r.isExactPath()), Set.copyOf(r.methods())));
      }
    }
    return new UnmatchedRoute(List.copyOf(table));
  }

  /** {@code /api/v1/queues/:queueId} matches one non-empty segment per parameter; a non-exact path is a prefix. */
  private static Pattern pattern(String path, boolean exact) {
    StringBuilder regex = new StringBuilder();
    for (String part : path.split("(?=/)")) {
      regex.append(part.startsWith("/:") ? "/[^/]+" : Pattern.quote(part));
    }
    return Pattern.compile(regex + (exact ? "" : ".*"));
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    Set<String> allowed = new TreeSet<>();
    for (Entry e : table) {
      if (e.path().matcher(path).matches()) {
        e.methods().forEach(m -> allowed.add(m.name()));
      }
    }
    if (allowed.isEmpty() || allowed.contains(ctx.request().method().name())) {
      ctx.fail(new ApiException.NotFound("route.not_found", "No such resource."));
      return;
    }
    String allow = String.join(", ", allowed);
    ctx.fail(new ApiException.MethodNotAllowed("route.method_not_allowed",
        "This resource does not accept " + ctx.request().method().name() + "; it accepts " + allow + ".", allow));
  }
}
