package dev.virtualqueue.admission;

import dev.virtualqueue.auth.Caller;
import dev.virtualqueue.auth.Role;
import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Json;
import dev.virtualqueue.common.Validate;
import dev.virtualqueue.http.Ctx;
import dev.virtualqueue.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The protected site's routes: the public JWKS, and introspection and release with the site's API
 * key (any role of its tenant; a staff sign-in of the tenant works too, and is held to the same
 * tenant wall).
 */
final class AccessTokenRoutes {
  /** Longest token accepted in a request: ours are about 600 characters. */
  static final int MAX_TOKEN_CHARS = 8192;
  /**
   * Caches may keep the JWKS this long: well below the default {@code --activate-in} of a rotation
   * (120 s), so every verifier has a new key before it signs.
   */
  static final String JWKS_CACHE = "public, max-age=60";
  private final AccessTokenService service;

  AccessTokenRoutes(AccessTokenService service) {
    this.service = service;
  }

  /** {@code audience}: optionally, the site's own, which the token's must be. */
  public record VerifyRequest(String token, String audience) {
  }

  public record ReleaseRequest(String token) {
  }

  void mount(Routes<Role> r) {
    r.open(HttpMethod.GET, "/.well-known/jwks.json", this::jwks)
        .staff(HttpMethod.POST, "/api/v1/access-tokens/verify", Role.VIEWER, this::verify)
        .staff(HttpMethod.POST, "/api/v1/access-tokens/release", Role.VIEWER, this::release);
  }

  private void jwks(RoutingContext ctx) {
    // public key material, meant for any verifier, browsers on other origins included
    ctx.response().putHeader("Access-Control-Allow-Origin", "*");
    Ctx.json(ctx, 200, service.jwks(), JWKS_CACHE);
  }

  private void verify(RoutingContext ctx) {
    VerifyRequest req = Json.read(ctx.body().buffer(), VerifyRequest.class);
    String audience = Validate.text("audience", req.audience(), 200, false);
    service.verify(Caller.of(ctx), token(req.token()), audience).onSuccess(a -> Ctx.json(ctx, 200, a))
        .onFailure(ctx::fail);
  }

  private void release(RoutingContext ctx) {
    ReleaseRequest req = Json.read(ctx.body().buffer(), ReleaseRequest.class);
    service.release(Caller.of(ctx), token(req.token())).onSuccess(a -> Ctx.json(ctx, 200, a)).onFailure(ctx::fail);
  }

  /** A token of a sane size: any such string makes a well-formed request (garbage is just not active). */
  private static String token(String token) {
    if (token == null || token.isEmpty()) {
      throw new ApiException.BadRequest("request.missing_field", "Field 'token' is required.");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new ApiException.BadRequest("request.too_long", "Field 'token' is longer than " + MAX_TOKEN_CHARS + ".");
    }
    return token;
  }
}
