package dev.virtualqueue.auth;

import dev.virtualqueue.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/**
 * Staff authentication and authorisation: JWT login, API keys, staff accounts, tenant bootstrap.
 * STUB: replaced by the real implementation.
 */
public final class AuthModule {

  private AuthModule() {
  }

  /** Loads (or, in the dev profile, generates) the signing keys and wires the services. */
  public static Future<AuthModule> create(Vertx vertx, AppConfig config, Pool pool) {
    return Future.succeededFuture(new AuthModule());
  }

  /** Authenticates a staff or API-key request and stores its {@link Principal} in the context. */
  public Handler<RoutingContext> authenticate() {
    return ctx -> ctx.fail(401);
  }

  /** Refuses (403) callers whose role is below {@code role}. */
  public static Handler<RoutingContext> require(Role role) {
    return RoutingContext::next;
  }

  /** Mounts /api/v1/auth/login, /api/v1/api-keys and /api/v1/staff. */
  public void mount(Router router) {
  }

  /** The tenant service (bootstrap and demo seeding use it). */
  public TenantService tenants() {
    return new TenantService();
  }
}
