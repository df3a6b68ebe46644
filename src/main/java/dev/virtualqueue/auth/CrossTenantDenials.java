package dev.virtualqueue.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts {@code vq_cross_tenant_denials_total}: 404 answers to an authenticated caller whose path
 * named an id that exists in another tenant (someone trying another tenant's ids), apart from plain
 * 404s (ids that exist nowhere). Looked at only after a 404 went out, so it adds nothing to any
 * answer; which tables hold ids is the wiring's knowledge ({@link Owners}), not this module's.
 */
public final class CrossTenantDenials {
  private static final Logger LOG = LoggerFactory.getLogger(CrossTenantDenials.class);

  /** Whether any of {@code ids} belongs to a tenant other than {@code tenantId}. */
  public interface Owners {
    Future<Boolean> elsewhere(UUID tenantId, List<UUID> ids);
  }

  private final Counter denials;
  private volatile Owners owners;

  CrossTenantDenials(MeterRegistry registry) {
    this.denials = Counter.builder("vq.cross.tenant.denials")
        .description("404s answered to a caller for an id that belongs to another tenant").register(registry);
  }

  /** Sets where ids are looked up (the server wires it once every feature exists). */
  public void use(Owners lookup) {
    this.owners = lookup;
  }

  /** Watches the answer to {@code who}'s request: a 404 for another tenant's id is counted. */
  void watch(RoutingContext ctx, Principal who) {
    ctx.addEndHandler(v -> {
      Owners o = owners;
      if (o == null || ctx.response().getStatusCode() != 404) {
        return;
      }
      List<UUID> ids = new ArrayList<>();
      ctx.pathParams().values().forEach(value -> {
        try {
          ids.add(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
          // not an id: slugs and the like
        }
      });
      if (!ids.isEmpty()) {
        o.elsewhere(who.tenantId(), ids)
            .onSuccess(other -> {
              if (other) {
                denials.increment();
              }
            })
            .onFailure(t -> LOG.debug("cross-tenant check failed: {}", t.getMessage()));
      }
    });
  }
}
