package dev.virtualqueue.auth;

import io.vertx.core.Future;
import io.vertx.ext.auth.otp.Authenticator;
import io.vertx.ext.auth.otp.OtpCredentials;
import io.vertx.ext.auth.otp.OtpKey;
import io.vertx.ext.auth.otp.OtpKeyGenerator;
import io.vertx.ext.auth.otp.hotp.HotpAuth;
import io.vertx.ext.auth.otp.hotp.HotpAuthOptions;
import io.vertx.ext.auth.otp.totp.TotpAuth;
import io.vertx.ext.auth.otp.totp.TotpAuthOptions;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * RFC 6238 time-based codes (SHA-1, 6 digits, 30-second steps, what every authenticator app reads
 * from an otpauth:// URI) through vertx-auth-otp: its key generator, its URI builder, and its
 * RFC 4226 check. Its TOTP provider accepts only the code of the current step and does not say which
 * step matched, so the check runs its HOTP provider with the counter at the step before the previous
 * one and a look-ahead of one: the codes of the previous and the current step pass (RFC 6238 §5.2
 * allows one step of transmission delay), and the matched step is returned, which the caller stores
 * so that no code is accepted twice.
 */
final class Totp {
  static final int PERIOD_SECONDS = 30;
  static final int DIGITS = 6;
  private static final Pattern CODE = Pattern.compile("[0-9]{" + DIGITS + "}");
  private static final String SHA1 = "SHA1";

  private final TotpAuth uris = TotpAuth.create(new TotpAuthOptions().setPeriod(PERIOD_SECONDS)
      .setPasswordLength(DIGITS));
  /** A look-ahead window turns on the provider's resynchronisation: after counter + 1 it tries counter + 2. */
  private final HotpAuthOptions check = new HotpAuthOptions().setPasswordLength(DIGITS).setLookAheadWindow(1);
  private final OtpKeyGenerator keys = OtpKeyGenerator.create();
  private final LongSupplier clock;

  Totp(LongSupplier clock) {
    this.clock = clock;
  }

  /** A new random 160-bit secret, base32 (as authenticator apps take it). */
  String newSecret() {
    return keys.generate().getKey();
  }

  /** The otpauth://totp URI of {@code secret} for {@code account} at {@code issuer}. */
  String uri(String secret, String issuer, String account) {
    return uris.generateUri(new OtpKey().setKey(secret).setAlgorithm(SHA1), issuer, account);
  }

  /** Whether {@code code} has the shape of a code (six digits). */
  static boolean looksLikeCode(String code) {
    return code != null && CODE.matcher(code).matches();
  }

  /** The time step {@code code} is the code of (the current one or the one before), or -1 for neither. */
  Future<Long> matchedStep(String secret, String code) {
    if (!looksLikeCode(code)) {
      return Future.succeededFuture(-1L);
    }
    long now = clock.getAsLong() / 1000 / PERIOD_SECONDS;
    HotpAuth hotp = HotpAuth.create(check)
        .authenticatorFetcher(id -> Future.succeededFuture(new Authenticator().setIdentifier(id).setKey(secret)
            .setAlgorithm(SHA1).setCounter(now - 2)))
        .authenticatorUpdater(a -> Future.succeededFuture());
    return hotp.authenticate(new OtpCredentials("totp", code))
        .map(user -> user.principal().getLong("counter"))
        .otherwise(-1L);
  }

  /** The current time step. */
  long step() {
    return clock.getAsLong() / 1000 / PERIOD_SECONDS;
  }
}
