package dev.virtualqueue.auth;

import io.vertx.core.Future;
import java.util.UUID;

/** Tenants and their owners. STUB: replaced by the real implementation. */
public final class TenantService {

  /** Result of a bootstrap: the tenant id and whether anything was created. */
  public record Bootstrapped(UUID tenantId, UUID ownerId, boolean created) {
  }

  /** Creates the tenant and its owner if absent; idempotent. Hashing runs off the event loop. */
  public Future<Bootstrapped> bootstrap(String slug, String name, String email, String displayName, char[] password) {
    return Future.failedFuture("not implemented");
  }
}
