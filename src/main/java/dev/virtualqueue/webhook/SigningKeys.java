package dev.virtualqueue.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The secrets an endpoint signs with: the current one, and during a rotation the previous one
 * until {@code previousValidUntil}. Receivers try each signature of the header until one matches,
 * so both are sent while the old secret is still valid (Standard Webhooks, "key rotation").
 *
 * @param current the secret shown to the integrator, {@code whsec_...}
 * @param previous the secret it replaced, or null
 * @param previousValidUntil until when {@code previous} is still used, or null
 */
public record SigningKeys(String current, String previous, Instant previousValidUntil) {
  /** How long an old secret stays valid after a rotation. */
  public static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

  public SigningKeys {
    Objects.requireNonNull(current, "current");
    if ((previous == null) != (previousValidUntil == null)) {
      throw new IllegalArgumentException("previous and previousValidUntil go together");
    }
  }

  /** An endpoint's first secret, no rotation under way. */
  public static SigningKeys of(String current) {
    return new SigningKeys(current, null, null);
  }

  /** The keys after a rotation at {@code now}: the current secret stays valid for 24 h. */
  public SigningKeys rotate(String next, Instant now) {
    return new SigningKeys(next, current, now.plus(ROTATION_OVERLAP));
  }

  /** The secrets to sign with at {@code at}, current first. */
  public List<String> active(Instant at) {
    if (previous != null && at.isBefore(previousValidUntil)) {
      return List.of(current, previous);
    }
    return List.of(current);
  }
}
