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

  AuthHandler(TokenService tokens, ApiKeyService apiKeys) {
    this.tokens = tokens;
    this.apiKeys = apiKeys;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String token = bearer(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (token == null) {
      refuse(ctx, new ApiException.Unauthorized("auth.missing_token",
          "Sign in first: send 'Authorization: Bearer <token or API key>'."));
      return;
    }
    Future<Principal> who = token.startsWith(ApiKeyTokens.MARK) ? apiKeys.authenticate(token) : tokens.verify(token);
    who.onSuccess(p -> {
      ctx.put(Caller.KEY, p);
      ctx.next();
    }).onFailure(t -> refuse(ctx, t));
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
