package dev.virtualqueue.auth;

import dev.virtualqueue.audit.AuditActor;
import dev.virtualqueue.audit.AuditEntry;
import dev.virtualqueue.audit.AuditHandler;
import dev.virtualqueue.audit.AuditLog;
import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Validate;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Setting a password: a signed-in staff member changing their own, and anyone holding a one-time
 * link (a reset or an invitation, {@link PasswordLinks}). Both raise the account's token version
 * and revoke its sessions, so every token of the account stops at once on every server; the
 * caller then signs in again with the new password.
 */
public final class PasswordService {
  private static final Logger LOG = LoggerFactory.getLogger(PasswordService.class);
  private static final int MAX_PASSWORD = 1024;

  private final StaffRepository staff;
  private final PasswordHasher hasher;
  private final LoginGuard guard;
  private final StaffService.Accounts accounts;
  private final AuditLog audit;

  PasswordService(StaffRepository staff, PasswordHasher hasher, LoginGuard guard, StaffService.Accounts accounts,
                  AuditLog audit) {
    this.staff = staff;
    this.hasher = hasher;
    this.guard = guard;
    this.accounts = accounts;
    this.audit = audit;
  }

  /** Where a request came from, for the sign-in guard and the audit log. */
  record Origin(String address, String requestId) {
  }

  /**
   * Changes the caller's own password. The current password is checked like a sign-in (the same
   * lockout counts and refuses, 429); a wrong one is 403 {@code auth.wrong_password}. The new one
   * follows the password rules (400 {@code auth.weak_password}). Only a staff member's token may.
   */
  public Future<Void> change(Principal who, AuthViews.ChangePassword req, Origin from) {
    if (who.kind() != Principal.Kind.STAFF) {
      throw new ApiException.Forbidden("auth.forbidden", "Only a signed-in staff member has a password to change.");
    }
    char[] current = required("currentPassword", req.currentPassword());
    required("newPassword", req.newPassword());
    String fresh = req.newPassword();
    return staff.loginKey(who.tenantId(), who.actorId()).compose(key -> staff.find(who.tenantId(), who.actorId())
        .compose(u -> {
          if (key == null || u == null) {
            return Future.failedFuture(AuthHandler.revoked());
          }
          char[] next = AuthInput.newPassword(fresh, key[0], StaffService.localPart(u.email()), u.email());
          return guard.check(key[0], key[1], from.address())
              .compose(v -> hasher.verify(current, u.passwordHash()))
              .compose(ok -> ok ? guard.succeeded(key[0], key[1]) : guard.failed(key[0], key[1], from.address())
                  .compose(v -> Future.failedFuture(new ApiException.Forbidden("auth.wrong_password",
                      "The current password is wrong."))))
              .compose(v -> hasher.hash(next))
              .compose(hash -> store(u.tenantId(), u.id(), hash, "password_changed"));
        }));
  }

  /**
   * Sets a password with a one-time link of tenant {@code tenant}: 400 {@code auth.invalid_link} for
   * an unknown, used or expired one (nothing changes), 400 {@code auth.weak_password} for a weak
   * password (the link stays usable). The use is audited ({@code auth.password_reset}) before it
   * takes effect; a sign-in lock of the account is cleared.
   */
  public Future<Void> reset(AuthViews.ResetPassword req, Origin from) {
    String tenant = Validate.text("tenant", req.tenant(), 63, true);
    String token = Validate.text("token", req.token(), 100, true);
    required("newPassword", req.newPassword());
    if (!token.startsWith(PasswordLinks.PREFIX)) {
      return Future.failedFuture(invalidLink());
    }
    return accounts.links().find(tenant, token).compose(link -> {
      if (link == null) {
        return Future.failedFuture(invalidLink());
      }
      char[] next = AuthInput.newPassword(req.newPassword(), link.tenantSlug(), StaffService.localPart(link.email()),
          link.email());
      AuditEntry entry = new AuditEntry(new AuditActor(link.tenantId(), link.staffId().toString(), "staff"),
          "auth.password_" + link.purpose(), "staff", link.staffId().toString(), from.address(), from.requestId(),
          new JsonObject().put("route", "POST /api/v1/auth/reset-password"));
      return audit.append(entry).recover(t -> Future.failedFuture(AuditHandler.unavailable()))
          .compose(seq -> hasher.hash(next))
          .compose(hash -> staff.pool().withTransaction(conn -> accounts.links().spend(conn, token)
              .compose(fresh -> fresh ? staff.setPassword(conn, link.tenantId(), link.staffId(), hash)
                  .compose(u -> accounts.sessions().revokeStaff(conn, link.staffId()))
                  : Future.failedFuture(invalidLink()))))
          .compose(n -> {
            accounts.ended().ended(link.staffId(), "password_reset");
            LOG.info("password of staff account {} set with a one-time {} link", link.staffId(), link.purpose());
            return guard.clear(link.tenantSlug(), link.email());
          });
    });
  }

  private Future<Void> store(UUID tenantId, UUID id, String hash, String reason) {
    return staff.pool().withTransaction(conn -> staff.setPassword(conn, tenantId, id, hash)
            .compose(u -> accounts.sessions().revokeStaff(conn, id)))
        .map(n -> {
          accounts.ended().ended(id, reason);
          LOG.info("staff account {} changed its password; {} session(s) revoked", id, n);
          return (Void) null;
        });
  }

  private static char[] required(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new ApiException.BadRequest("request.missing_field", "Field '" + field + "' is required.");
    }
    return value.substring(0, Math.min(value.length(), MAX_PASSWORD)).toCharArray();
  }

  private static ApiException invalidLink() {
    return new ApiException.BadRequest("auth.invalid_link",
        "This password link is unknown, already used or expired; ask an owner or admin for a new one.");
  }
}
