package dev.virtualqueue.auth;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Validate;
import io.vertx.core.Future;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Password sign-in: tenant slug, email and password for an access token. */
public final class LoginService {
  private static final Logger LOG = LoggerFactory.getLogger(LoginService.class);
  private static final int MAX_PASSWORD = 1024;

  private final StaffRepository staff;
  private final PasswordHasher hasher;
  private final SessionService sessions;
  private final SignInAttempts attempts;
  private final TwoFactorLogin twoFactor;

  LoginService(StaffRepository staff, PasswordHasher hasher, SessionService sessions, SignInAttempts attempts,
               TwoFactorLogin twoFactor) {
    this.staff = staff;
    this.hasher = hasher;
    this.sessions = sessions;
    this.attempts = attempts;
    this.twoFactor = twoFactor;
  }

  /**
   * Signs a staff member in. Unknown tenant, unknown email, wrong password and disabled account
   * all fail alike with 401 {@code auth.invalid_credentials}, after the same bcrypt work. Too many
   * failures for the (tenant, email) or from {@code address} are refused first with 429
   * {@code auth.throttled} / {@code auth.locked} (see {@link LoginGuard}), before any look-up.
   * A correct password of an account with 2FA on yields a challenge instead of tokens, and one
   * whose tenant requires 2FA for its role but that has none an enrolment token (see
   * {@link TwoFactorLogin}); only a full sign-in clears the account's failures.
   */
  public Future<AuthViews.SignInAnswer> login(AuthViews.LoginRequest req, SignInClient client) {
    String tenant = Validate.text("tenant", req.tenant(), 63, true);
    String email = Validate.text("email", req.email(), 254, true).toLowerCase(Locale.ROOT);
    if (req.password() == null || req.password().isEmpty()) {
      throw new ApiException.BadRequest("request.missing_field", "Field 'password' is required.");
    }
    // no stored password is that long; cap the bcrypt input so a huge body costs no more than a normal one
    char[] password = req.password().substring(0, Math.min(req.password().length(), MAX_PASSWORD)).toCharArray();
    return attempts.check(tenant, email, client)
        .compose(v -> staff.findForLogin(tenant, email))
        .compose(user -> hasher.verify(password, user == null ? null : user.passwordHash())
            .compose(ok -> {
              if (!ok || user.disabled()) {
                LOG.debug("failed sign-in to tenant '{}'", tenant);
                return attempts.wrongPassword(tenant, email, client).compose(v -> Future.<AuthViews.SignInAnswer>failedFuture(
                    new ApiException.Unauthorized("auth.invalid_credentials", "Wrong tenant, email or password.")));
              }
              return twoFactor.afterPassword(user, tenant).compose(next -> next != null ? Future.succeededFuture(next)
                  : attempts.succeeded(tenant, email).compose(v -> sessions.start(user))
                      .map(tokens -> (AuthViews.SignInAnswer) tokens));
            }));
  }

  /** Rotates a refresh token for a new access and refresh token (see {@link SessionService}). */
  public Future<AuthViews.LoginResponse> refresh(AuthViews.RefreshRequest req) {
    return sessions.refresh(req.refreshToken());
  }

  /** Ends the caller's session of {@code req}'s refresh token. */
  public Future<Void> logout(Principal who, AuthViews.RefreshRequest req) {
    if (who.kind() != Principal.Kind.STAFF) {
      return Future.failedFuture(new ApiException.Forbidden("auth.forbidden", "Only a signed-in staff member can sign out."));
    }
    return sessions.logout(who, req.refreshToken());
  }
}
