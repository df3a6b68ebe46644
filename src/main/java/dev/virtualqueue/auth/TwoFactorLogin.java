package dev.virtualqueue.auth;

import dev.virtualqueue.audit.AuditHandler;
import dev.virtualqueue.audit.AuditLog;
import dev.virtualqueue.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The second step of a sign-in. After a correct password an account with 2FA on gets a challenge
 * instead of tokens, and {@link #signIn} exchanges it with a TOTP or recovery code; an account whose
 * tenant requires 2FA for its role and that has none gets an enrolment token, good only for the
 * enrolment routes, and {@link #finishEnrolment} signs it in once its first code confirmed. Every
 * code attempt passes the sign-in lockout first and a wrong one counts toward it.
 */
final class TwoFactorLogin {
  private final TwoFactorRepository repo;
  private final TwoFactorCodes codes;
  private final SignInChallenges challenges;
  private final StaffRepository staff;
  private final SessionService sessions;
  private final SignInAttempts attempts;
  private final AuditLog audit;

  /** What the second step needs: the stores, the session starter, the lockout and the audit log. */
  record Parts(TwoFactorRepository repo, TwoFactorCodes codes, SignInChallenges challenges, StaffRepository staff,
               SessionService sessions, SignInAttempts attempts, AuditLog audit) {
  }

  TwoFactorLogin(Parts parts) {
    this.repo = parts.repo();
    this.codes = parts.codes();
    this.challenges = parts.challenges();
    this.staff = parts.staff();
    this.sessions = parts.sessions();
    this.attempts = parts.attempts();
    this.audit = parts.audit();
  }

  /**
   * After a correct password: a challenge (2FA on), an enrolment token (2FA required for the role
   * but not set up), or null when the password alone signs the account in.
   */
  Future<AuthViews.SignInAnswer> afterPassword(StaffUser user, String tenantSlug) {
    SignInChallenges.Pending p = SignInChallenges.Pending.of(user, tenantSlug);
    return repo.find(user.tenantId(), user.id()).compose(stored -> {
      if (stored != null && stored.enabled()) {
        return challenges.challenge(p).map(c -> (AuthViews.SignInAnswer) new AuthViews.MfaChallenge(true, c,
            SignInChallenges.CHALLENGE_TTL_SECONDS));
      }
      return repo.requiredFor(user.tenantId()).compose(roles -> !roles.contains(user.role().wire())
          ? Future.<AuthViews.SignInAnswer>succeededFuture(null)
          : challenges.enrolment(p).map(t -> (AuthViews.SignInAnswer) new AuthViews.EnrolmentRequired(true, t,
              SignInChallenges.ENROLMENT_TTL_SECONDS)));
    });
  }

  /** Exchanges a challenge and a code for tokens; 401 {@code auth.invalid_challenge} / {@code auth.invalid_code}. */
  Future<AuthViews.LoginResponse> signIn(AuthViews.LoginCodeRequest req, SignInClient client) {
    if (req.code() == null || req.code().isBlank()) {
      return Future.failedFuture(new ApiException.BadRequest("request.missing_field",
          "Field 'code' is required (the six-digit code of the authenticator app, or a recovery code)."));
    }
    String code = req.code().strip();
    return challenges.attempt(req.challenge(), SignInChallenges.CHALLENGE).compose(p -> p == null
        ? Future.<AuthViews.LoginResponse>failedFuture(invalidChallenge())
        : attempts.check(p.tenantSlug(), p.email(), client)
            .compose(v -> staff.find(p.tenantId(), p.staffId()))
            .compose(user -> user == null || user.disabled()
                ? Future.<AuthViews.LoginResponse>failedFuture(invalidChallenge())
                : codes.check(p.tenantId(), p.staffId(), code).compose(kind -> kind == null
                    ? attempts.wrongCode(p.tenantSlug(), p.email(), client, "sign-in")
                        .compose(v -> Future.<AuthViews.LoginResponse>failedFuture(invalidCode()))
                    : challenges.spend(req.challenge()).compose(first -> first
                        ? signedIn(p, user, kind.name().toLowerCase(Locale.ROOT), client)
                        : Future.<AuthViews.LoginResponse>failedFuture(invalidChallenge())))));
  }

  /** The account behind an enrolment token, as the principal of the enrolment routes; null when unknown. */
  Future<Principal> enrolmentPrincipal(String token) {
    return challenges.attempt(token, SignInChallenges.ENROLMENT).compose(p -> p == null
        ? Future.<Principal>succeededFuture()
        : staff.find(p.tenantId(), p.staffId()).map(user -> user == null || user.disabled() ? null
            : new Principal(user.tenantId(), Principal.Kind.STAFF, user.id(), user.role())));
  }

  /** The enrolment of {@code token} confirmed its first code: the token is spent and the account signed in. */
  Future<AuthViews.LoginResponse> finishEnrolment(String token, SignInClient client) {
    return challenges.attempt(token, SignInChallenges.ENROLMENT).compose(p -> p == null
        ? Future.<AuthViews.LoginResponse>failedFuture(invalidChallenge())
        : challenges.spend(token).compose(first -> !first
            ? Future.<AuthViews.LoginResponse>failedFuture(invalidChallenge())
            : staff.find(p.tenantId(), p.staffId()).compose(user -> signedIn(p, user, "enrolment", client))));
  }

  private Future<AuthViews.LoginResponse> signedIn(SignInChallenges.Pending p, StaffUser user, String factor,
                                                   SignInClient client) {
    return audit.signInStep(new AuditLog.SignInStep(p.tenantSlug(), p.email(), "auth.login", true, client.address(),
            client.requestId(), new JsonObject().put("factor", factor)))
        .recover(t -> Future.failedFuture(AuditHandler.unavailable()))
        .compose(v -> attempts.succeeded(p.tenantSlug(), p.email()))
        .compose(v -> sessions.start(user));
  }

  static ApiException invalidChallenge() {
    return new ApiException.Unauthorized("auth.invalid_challenge",
        "The sign-in challenge is unknown, expired or used up; sign in again with your password.");
  }

  private static ApiException invalidCode() {
    return new ApiException.Unauthorized("auth.invalid_code",
        "The code is wrong, was used already, or is out of date; try the app's current code.");
  }
}
