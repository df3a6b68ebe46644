package dev.virtualqueue.audit;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Json;
import dev.virtualqueue.common.Page;
import dev.virtualqueue.http.Ctx;
import dev.virtualqueue.http.Paging;
import dev.virtualqueue.http.RequestIds;
import dev.virtualqueue.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/audit} (newest first, cursor paging, filters) and {@code GET
 * /api/v1/audit/export?format=ndjson|csv} (the whole filtered log, streamed in pages, itself
 * audited as {@code audit.export} before the first byte). A caller only ever reads its own tenant.
 *
 * @param <R> the role type of the route table
 */
public final class AuditRoutes<R> {
  private static final Logger LOG = LoggerFactory.getLogger(AuditRoutes.class);
  private static final int EXPORT_PAGE = 500;

  private final AuditLog log;
  private final AuditReader reader;
  private final Function<RoutingContext, AuditActor> actors;

  public AuditRoutes(AuditLog log, Function<RoutingContext, AuditActor> actors) {
    this.log = log;
    this.reader = new AuditReader(log.pool());
    this.actors = actors;
  }

  /** Mounts both routes for callers with at least {@code role}. */
  public void mount(Routes<R> r, R role) {
    r.staff(HttpMethod.GET, "/api/v1/audit", role, this::list)
        .staff(HttpMethod.GET, "/api/v1/audit/export", role, this::export);
  }

  private void list(RoutingContext ctx) {
    int limit = Paging.limit(ctx);
    AuditFilter filter = AuditFilter.of(ctx);
    reader.page(actors.apply(ctx).tenantId(), filter, limit + 1)
        .onSuccess(all -> {
          boolean more = all.size() > limit;
          List<Map<String, Object>> page = more ? all.subList(0, limit) : all;
          Ctx.json(ctx, 200, new Page<>(page, more ? page.get(page.size() - 1).get("seq").toString() : null));
        })
        .onFailure(ctx::fail);
  }

  private void export(RoutingContext ctx) {
    String format = ctx.request().getParam("format", "ndjson");
    if (!"ndjson".equals(format) && !"csv".equals(format)) {
      throw new ApiException.BadRequest("audit.invalid_format", "format must be ndjson or csv.");
    }
    AuditFilter filter = AuditFilter.of(ctx);
    AuditActor who = actors.apply(ctx);
    JsonObject details = new JsonObject().put("format", format).put("filter", new JsonObject()
        .put("action", filter.action()).put("actor", filter.actor()).put("target", filter.target())
        .put("from", filter.from() == null ? null : filter.from().toString())
        .put("to", filter.to() == null ? null : filter.to().toString()));
    log.append(new AuditEntry(who, "audit.export", "audit", null, AuditHandler.clientAddress(ctx),
            ctx.get(RequestIds.KEY), details))
        .onFailure(t -> ctx.fail(AuditHandler.unavailable()))
        .onSuccess(seq -> send(ctx, who.tenantId(), filter, "csv".equals(format)));
  }

  private void send(RoutingContext ctx, UUID tenant, AuditFilter filter, boolean csv) {
    HttpServerResponse res = ctx.response().setChunked(true).setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, csv ? "text/csv; charset=utf-8" : "application/x-ndjson")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("Content-Disposition", "attachment; filename=\"audit." + (csv ? "csv" : "ndjson") + "\"");
    if (csv) {
      res.write(AuditCsv.HEADER);
    }
    // a failure mid-stream resets the connection: a cut export never looks like a whole one
    stream(res, tenant, filter, csv).onComplete(ar -> {
      if (ar.succeeded()) {
        res.end();
      } else {
        LOG.warn("audit export for tenant {} failed mid-stream: {}", tenant, ar.cause().getMessage());
        res.reset();
      }
    });
  }

  /** Writes the filtered log page by page, waiting for the client to drain each page (back-pressure). */
  private Future<Void> stream(HttpServerResponse res, UUID tenant, AuditFilter filter, boolean csv) {
    return reader.page(tenant, filter, EXPORT_PAGE).compose(rows -> {
      StringBuilder out = new StringBuilder();
      rows.forEach(r -> out.append(csv ? AuditCsv.line(r) : Json.writeString(r) + "\n"));
      Future<Void> written = rows.isEmpty() ? Future.succeededFuture() : res.write(out.toString());
      if (rows.size() < EXPORT_PAGE) {
        return written;
      }
      long last = (Long) rows.get(rows.size() - 1).get("seq");
      return written.compose(v -> stream(res, tenant, filter.before(last), csv));
    });
  }
}
