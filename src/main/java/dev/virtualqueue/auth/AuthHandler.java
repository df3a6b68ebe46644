package dev.virtualqueue.auth;

import dev.virtualqueue.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads {@code Authorization: Bearer <x>}: an {@code vq_} value is an API key, anything else a JWT.
 * On success the {@link Principal} goes under {@link Caller#of} and the route continues;
 * otherwise the request fails with a 401 for the one failure handler.
 */
final class AuthHandler implements Handler<RoutingContext> {
  private static final String BEARER = "Bearer ";

  private final TokenService tokens;
  private final ApiKeyService apiKeys;
  private final TokenVersions versions;
  private final CrossTenantDenials crossTenant;

  AuthHandler(TokenService tokens, ApiKeyService apiKeys, TokenVersions versions, CrossTenantDenials crossTenant) {
    this.tokens = tokens;
    this.apiKeys = apiKeys;
    this.versions = versions;
    this.crossTenant = crossTenant;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String token = bearer(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (token == null) {
      refuse(ctx, new ApiException.Unauthorized("auth.missing_token",
          "Sign in first: send 'Authorization: Bearer <token or API key>'."));
      return;
    }
    Future<Principal> who = token.startsWith(ApiKeyTokens.MARK) ? apiKeys.authenticate(token) : staff(token);
    who.onSuccess(p -> {
      ctx.put(Caller.KEY, p);
      crossTenant.watch(ctx, p);
      ctx.next();
    }).onFailure(t -> refuse(ctx, t));
  }

  /**
   * A staff token, checked against its account as it is now: a token of an older version (the
   * account signed out, changed its password, or was disabled or re-roled through the API since),
   * or of a disabled or deleted account, is refused with 401 {@code auth.token_revoked}. A role
   * changed behind the API's back (SQL) counts at once: the principal carries the current role.
   */
  private Future<Principal> staff(String token) {
    return tokens.verifyStaff(token).compose(t -> versions.current(t.principal().tenantId(), t.principal().actorId())
        .compose(now -> {
          Principal p = t.principal();
          if (!now.live() || now.version() != t.version()) {
            return Future.failedFuture(revoked());
          }
          return Future.succeededFuture(now.role() == p.role() ? p
              : new Principal(p.tenantId(), p.kind(), p.actorId(), now.role()));
        }));
  }

  static ApiException.Unauthorized revoked() {
    return new ApiException.Unauthorized("auth.token_revoked",
        "This access token was revoked (signed out, password or role changed, or account disabled); sign in again.");
  }

  private static void refuse(RoutingContext ctx, Throwable failure) {
    if (failure instanceof ApiException.Unauthorized) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer"); // RFC 6750
    }
    ctx.fail(failure);
  }

  /** The credential of a Bearer header, or null when there is none. */
  static String bearer(String header) {
    if (header == null || header.length() <= BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    String token = header.substring(BEARER.length()).strip();
    return token.isEmpty() ? null : token;
  }
}
