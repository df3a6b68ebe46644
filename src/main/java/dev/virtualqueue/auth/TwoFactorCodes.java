package dev.virtualqueue.auth;

import dev.virtualqueue.common.SecretSealer;
import io.vertx.core.Future;
import java.util.UUID;

/**
 * Checks a second factor of an account with 2FA on: a six-digit TOTP code, accepted once (its time
 * step must be later than the last accepted one, recorded in the same statement), or else a recovery
 * code, spent by the check. The TOTP secret is opened from its sealed form only here, for the check.
 */
final class TwoFactorCodes {
  /** How a code passed. */
  enum Kind { TOTP, RECOVERY }

  private final TwoFactorRepository repo;
  private final Totp totp;
  private final SecretSealer sealer;

  TwoFactorCodes(TwoFactorRepository repo, Totp totp, SecretSealer sealer) {
    this.repo = repo;
    this.totp = totp;
    this.sealer = sealer;
  }

  Totp totp() {
    return totp;
  }

  String seal(UUID staffId, String secret) {
    return sealer.seal(secret, staffId.toString());
  }

  String open(UUID staffId, String sealed) {
    return sealer.open(sealed, staffId.toString());
  }

  /** How {@code code} passed for the account's enabled authenticator, or null when it did not. */
  Future<Kind> check(UUID tenantId, UUID staffId, String code) {
    if (Totp.looksLikeCode(code)) {
      return repo.find(tenantId, staffId).compose(stored -> stored == null || !stored.enabled()
          ? Future.succeededFuture(null)
          : fresh(tenantId, staffId, open(staffId, stored.sealedSecret()), code, false)
              .map(ok -> ok ? Kind.TOTP : null));
    }
    byte[] hash = RecoveryCodes.hash(code);
    if (hash == null) {
      return Future.succeededFuture(null);
    }
    return repo.spendRecoveryCode(tenantId, staffId, hash).map(ok -> ok ? Kind.RECOVERY : null);
  }

  /** Whether {@code code} is a code of {@code secret} whose step was not accepted before (then recorded). */
  Future<Boolean> fresh(UUID tenantId, UUID staffId, String secret, String code, boolean confirming) {
    return totp.matchedStep(secret, code).compose(step -> step < 0 ? Future.succeededFuture(false)
        : repo.acceptStep(tenantId, staffId, step, confirming));
  }
}
