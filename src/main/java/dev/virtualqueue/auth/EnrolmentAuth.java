package dev.virtualqueue.auth;

import dev.virtualqueue.common.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Authentication of the enrolment routes: an enrolment token ({@code Bearer vqe_...}, from a sign-in
 * to a tenant that requires 2FA of an account without it) stands for its account here and nowhere
 * else; any other credential goes to the normal {@link AuthHandler}.
 */
final class EnrolmentAuth implements Handler<RoutingContext> {
  /** Where the enrolment token of the request is kept, for the confirm step to sign in with. */
  static final String TOKEN = "vq.enrolmentToken";

  private final Handler<RoutingContext> normal;
  private final TwoFactorLogin login;

  EnrolmentAuth(Handler<RoutingContext> normal, TwoFactorLogin login) {
    this.normal = normal;
    this.login = login;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String token = AuthHandler.bearer(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (token == null || !token.startsWith(SignInChallenges.ENROLMENT)) {
      normal.handle(ctx);
      return;
    }
    login.enrolmentPrincipal(token).onSuccess(p -> {
      if (p == null) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        ctx.fail(new ApiException.Unauthorized("auth.invalid_token",
            "The enrolment token is unknown or expired; sign in again."));
        return;
      }
      ctx.put(Caller.KEY, p);
      ctx.put(TOKEN, token);
      ctx.next();
    }).onFailure(ctx::fail);
  }
}
