package dev.virtualqueue.auth;

import dev.virtualqueue.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two-factor sign-in of the caller's own account: enrol an authenticator (a new secret, shown once
 * as an otpauth URI and QR code), confirm it with its first code (2FA is then on, and the recovery
 * codes are shown once), turn it off with a current code or the password; and the tenant's setting
 * of which roles must have it. Code attempts pass the sign-in lockout and count toward it.
 */
public final class TwoFactorService {
  private static final Logger LOG = LoggerFactory.getLogger(TwoFactorService.class);
  static final String ISSUER = "VirtualQueue-";

  private final TwoFactorRepository repo;
  private final TwoFactorCodes codes;
  private final StaffRepository staff;
  private final PasswordHasher hasher;
  private final SignInAttempts attempts;
  private final Vertx vertx;

  TwoFactorService(TwoFactorRepository repo, TwoFactorCodes codes, StaffRepository staff, PasswordHasher hasher,
                   SignInAttempts attempts, Vertx vertx) {
    this.repo = repo;
    this.codes = codes;
    this.staff = staff;
    this.hasher = hasher;
    this.attempts = attempts;
    this.vertx = vertx;
  }

  /** The tenant slug and email of the caller's account; 403 for an API key, 401 for a vanished account. */
  private Future<String[]> account(Principal who) {
    if (who.kind() != Principal.Kind.STAFF) {
      return Future.failedFuture(new ApiException.Forbidden("auth.forbidden",
          "Two-factor sign-in belongs to a staff account; an API key has none."));
    }
    return staff.loginKey(who.tenantId(), who.actorId()).compose(key -> key != null ? Future.succeededFuture(key)
        : Future.failedFuture(new ApiException.Unauthorized("auth.invalid_token", "The account no longer exists.")));
  }

  /** Whether the caller has 2FA on (or an enrolment pending), its unspent recovery codes, and whether it is required. */
  public Future<AuthViews.TwoFactorStatus> status(Principal who) {
    return account(who).compose(key -> Future.all(repo.find(who.tenantId(), who.actorId()),
            repo.recoveryCodesLeft(who.actorId()), repo.requiredFor(who.tenantId())))
        .map(all -> {
          TwoFactorRepository.Stored s = all.resultAt(0);
          List<String> required = all.resultAt(2);
          return new AuthViews.TwoFactorStatus(s != null && s.enabled(), s != null && !s.enabled(),
              s != null && s.enabled() ? all.<Integer>resultAt(1) : 0, required.contains(who.role().wire()));
        });
  }

  /**
   * Starts (or restarts) an enrolment: a new secret, stored sealed and not yet in force. 409
   * {@code auth.2fa_enabled} when 2FA is on already (turn it off first).
   */
  public Future<AuthViews.Enrolment> enroll(Principal who) {
    return account(who).compose(key -> {
      String secret = codes.totp().newSecret();
      return repo.savePending(who.tenantId(), who.actorId(), codes.seal(who.actorId(), secret)).compose(saved -> {
        if (!saved) {
          return Future.failedFuture(alreadyOn());
        }
        String uri = codes.totp().uri(secret, ISSUER + key[0], key[1]);
        return vertx.executeBlocking(() -> QrCodes.pngDataUri(uri), false)
            .map(png -> new AuthViews.Enrolment(uri, secret, png, Totp.PERIOD_SECONDS, Totp.DIGITS));
      });
    });
  }

  /**
   * Confirms the pending enrolment with a current code: 2FA is on and the {@value RecoveryCodes#COUNT}
   * recovery codes are returned (only here). 400 {@code auth.wrong_code}; 409 when nothing is pending.
   */
  public Future<List<String>> confirm(Principal who, String code, SignInClient client) {
    if (code == null || code.isBlank()) {
      return Future.failedFuture(new ApiException.BadRequest("request.missing_field",
          "Field 'code' is required: the six-digit code the authenticator app shows."));
    }
    return account(who).compose(key -> attempts.check(key[0], key[1], client)
        .compose(v -> repo.find(who.tenantId(), who.actorId()))
        .compose(stored -> {
          if (stored == null) {
            return Future.failedFuture(new ApiException.Conflict("auth.2fa_not_enrolling",
                "No enrolment to confirm: start with POST /api/v1/auth/2fa/enroll."));
          }
          if (stored.enabled()) {
            return Future.failedFuture(alreadyOn());
          }
          String secret = codes.open(who.actorId(), stored.sealedSecret());
          return codes.totp().matchedStep(secret, code).compose(step -> step < 0
              ? this.<List<String>>wrong(key, client, "confirm", "auth.wrong_code")
              : switchOn(who, step).compose(shown -> shown != null ? Future.succeededFuture(shown)
                  : this.<List<String>>wrong(key, client, "confirm", "auth.wrong_code")));
        }));
  }

  /** Stores new recovery codes, then switches the authenticator on at {@code step}; null when the step was used. */
  private Future<List<String>> switchOn(Principal who, long step) {
    List<String> shown = RecoveryCodes.generate();
    return repo.replaceRecoveryCodes(who.actorId(), shown.stream().map(RecoveryCodes::hash).toList())
        .compose(v -> repo.acceptStep(who.tenantId(), who.actorId(), step, true))
        .map(on -> {
          if (on) {
            LOG.info("two-factor sign-in turned on for staff account {} of tenant {}", who.actorId(), who.tenantId());
          }
          return on ? shown : null;
        });
  }

  /**
   * Turns 2FA off with a current TOTP or recovery code, or the password. 409 {@code auth.2fa_required}
   * when the tenant requires it for the caller's role; nothing to turn off is fine (idempotent).
   */
  public Future<Void> disable(Principal who, AuthViews.DisableRequest req, SignInClient client) {
    boolean byCode = req.code() != null && !req.code().isBlank();
    if (!byCode && (req.password() == null || req.password().isEmpty())) {
      return Future.failedFuture(new ApiException.BadRequest("request.missing_field",
          "Send 'code' (a current code or a recovery code) or 'password' to turn two-factor sign-in off."));
    }
    return account(who).compose(key -> repo.requiredFor(who.tenantId()).compose(roles -> {
      if (roles.contains(who.role().wire())) {
        return Future.failedFuture(new ApiException.Conflict("auth.2fa_required",
            "The tenant requires two-factor sign-in for the " + who.role().wire() + " role; it cannot be turned off."));
      }
      return attempts.check(key[0], key[1], client).compose(v -> repo.find(who.tenantId(), who.actorId()))
          .compose(stored -> stored == null ? Future.<Void>succeededFuture()
              : proven(who, req, byCode, stored.enabled()).compose(ok -> ok
                  ? repo.delete(who.tenantId(), who.actorId())
                      .onSuccess(x -> LOG.info("two-factor sign-in turned off for staff account {}", who.actorId()))
                  : this.<Void>wrong(key, client, "disable", byCode ? "auth.wrong_code" : "auth.wrong_password")));
    }));
  }

  /**
   * Turns 2FA off for account {@code id} of the caller's tenant, whose owner lost both the phone and
   * the recovery codes. 404 {@code staff.not_found}; only an owner may reset an owner's or an admin's
   * (403). Where the tenant requires 2FA for the account's role, its next sign-in enrols anew.
   */
  public Future<Void> reset(Principal who, UUID id) {
    return staff.find(who.tenantId(), id).compose(user -> {
      if (user == null) {
        return Future.failedFuture(new ApiException.NotFound("staff.not_found", "No such staff account."));
      }
      if (user.role().atLeast(Role.ADMIN) && !who.role().atLeast(Role.OWNER)) {
        return Future.failedFuture(new ApiException.Forbidden("auth.forbidden",
            "Only an owner may reset the two-factor sign-in of an owner or admin account."));
      }
      return repo.delete(who.tenantId(), id).onSuccess(v -> LOG.info(
          "two-factor sign-in of staff account {} reset by {} {}", id, who.actorKind(), who.actorId()));
    });
  }

  /** Whether the request proves the account's owner is here: the code (for an enabled authenticator) or the password. */
  private Future<Boolean> proven(Principal who, AuthViews.DisableRequest req, boolean byCode, boolean enabled) {
    if (byCode) {
      return enabled ? codes.check(who.tenantId(), who.actorId(), req.code().strip()).map(kind -> kind != null)
          : Future.succeededFuture(true); // an enrolment never confirmed protects nothing yet
    }
    char[] password = req.password().substring(0, Math.min(req.password().length(), 1024)).toCharArray();
    return staff.find(who.tenantId(), who.actorId())
        .compose(user -> hasher.verify(password, user == null ? null : user.passwordHash()));
  }

  private <T> Future<T> wrong(String[] key, SignInClient client, String step, String code) {
    Future<Void> counted = "auth.wrong_password".equals(code) ? attempts.wrongPassword(key[0], key[1], client)
        : attempts.wrongCode(key[0], key[1], client, step);
    return counted.compose(v -> Future.failedFuture(new ApiException.BadRequest(code,
        "auth.wrong_password".equals(code) ? "The password is wrong."
            : "The code is wrong, was used already, or is out of date; try the app's current code.")));
  }

  private static ApiException alreadyOn() {
    return new ApiException.Conflict("auth.2fa_enabled",
        "Two-factor sign-in is on already; turn it off first to enrol another authenticator.");
  }

  /** The tenant's settings: which roles must sign in with a second factor. */
  public Future<AuthViews.TenantSettings> settings(Principal who) {
    return repo.requiredFor(who.tenantId()).map(AuthViews.TenantSettings::new);
  }

  /** Sets which roles must sign in with a second factor (owner only, checked by the route). */
  public Future<AuthViews.TenantSettings> updateSettings(Principal who, AuthViews.TenantSettings req) {
    List<String> roles = requiredRoles(req.requireTwoFactorFor());
    return repo.setRequiredFor(who.tenantId(), roles)
        .onSuccess(v -> LOG.info("tenant {} requires two-factor sign-in for {} (set by {} {})", who.tenantId(), roles,
            who.actorKind(), who.actorId()))
        .map(v -> new AuthViews.TenantSettings(roles));
  }

  /** Role names, checked and deduplicated, strongest first; 400 {@code request.invalid_field}. */
  static List<String> requiredRoles(List<String> names) {
    if (names == null) {
      throw new ApiException.BadRequest("request.missing_field",
          "Field 'requireTwoFactorFor' is required: a list of roles (e.g. [\"owner\", \"admin\"]; [] for none).");
    }
    for (String n : names) {
      if (n == null || Arrays.stream(Role.values()).noneMatch(r -> r.wire().equals(n))) {
        throw new ApiException.BadRequest("request.invalid_field",
            "Field 'requireTwoFactorFor' holds roles: owner, admin, agent, viewer; not '" + n + "'.");
      }
    }
    return Arrays.stream(Role.values()).map(Role::wire).filter(names::contains).toList();
  }
}
