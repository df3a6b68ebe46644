package dev.virtualqueue.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Ends tokens and counts it: after an account's token version was raised (its commit done), this
 * server forgets the account's cached state at once ({@link TokenVersions}; the others hear the
 * trigger's NOTIFY), and {@code vq_auth_tokens_revoked_total{reason}} counts the event.
 */
final class AccountTokens {
  /** Every reason of {@code vq_auth_tokens_revoked_total}. */
  static final List<String> REASONS = List.of("logout", "reuse", "disabled", "role_changed", "password_changed",
      "password_reset");

  private final TokenVersions versions;
  private final Map<String, Counter> revoked;

  AccountTokens(TokenVersions versions, MeterRegistry registry) {
    this.versions = versions;
    this.revoked = REASONS.stream().collect(Collectors.toMap(Function.identity(), r -> Counter
        .builder("vq.auth.tokens.revoked")
        .description("Revocations of staff tokens: sessions revoked, or every token of an account ended, by reason")
        .tag("reason", r).register(registry)));
  }

  /** The token version of {@code staffId} was raised and committed for {@code reason}. */
  void ended(UUID staffId, String reason) {
    versions.changed(staffId);
    counted(reason);
  }

  /** Counts a revocation that changed no version (a reused refresh token's family). */
  void counted(String reason) {
    Counter c = revoked.get(reason);
    if (c == null) {
      throw new IllegalArgumentException("unknown revocation reason " + reason);
    }
    c.increment();
  }
}
