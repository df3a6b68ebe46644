package dev.virtualqueue.auth;

import dev.virtualqueue.audit.AuditLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Failed sign-in steps, password or code, all counted by the one {@link LoginGuard} (so code attempts
 * throttle and lock the account like wrong passwords do), with an audit entry for each failed code
 * ({@code auth.2fa_failed}) and for each lockout ({@code auth.lockout}), and
 * {@code vq_auth_2fa_failures_total} for wrong, replayed or spent codes.
 */
final class SignInAttempts {
  private final LoginGuard guard;
  private final AuditLog audit;
  private final Counter codeFailures;

  SignInAttempts(LoginGuard guard, AuditLog audit, MeterRegistry registry) {
    this.guard = guard;
    this.audit = audit;
    this.codeFailures = Counter.builder("vq.auth.2fa.failures")
        .description("Two-factor codes refused: wrong, replayed or already-spent TOTP or recovery codes")
        .register(registry);
  }

  /** 429 when the account or the address must wait (see {@link LoginGuard#check}). */
  Future<Void> check(String tenantSlug, String email, SignInClient client) {
    return guard.check(tenantSlug, email, client.address());
  }

  /** A wrong password: counted, and audited when it locked the account. */
  Future<Void> wrongPassword(String tenantSlug, String email, SignInClient client) {
    return count(tenantSlug, email, client);
  }

  /** A wrong second factor at {@code step} ("sign-in", "confirm", "disable"): counted and audited. */
  Future<Void> wrongCode(String tenantSlug, String email, SignInClient client, String step) {
    codeFailures.increment();
    return audit.signInStep(new AuditLog.SignInStep(tenantSlug, email, "auth.2fa_failed", false,
            client.address(), client.requestId(), new JsonObject().put("step", step)))
        .compose(v -> count(tenantSlug, email, client));
  }

  /** The account signed in: its failures start afresh. */
  Future<Void> succeeded(String tenantSlug, String email) {
    return guard.succeeded(tenantSlug, email);
  }

  private Future<Void> count(String tenantSlug, String email, SignInClient client) {
    return guard.failed(tenantSlug, email, client.address()).compose(locked -> !locked ? Future.<Void>succeededFuture()
        : audit.signInStep(new AuditLog.SignInStep(tenantSlug, email, "auth.lockout", false, client.address(),
            client.requestId(), new JsonObject().put("failures", LoginGuard.ACCOUNT.lockAfter()))));
  }
}
