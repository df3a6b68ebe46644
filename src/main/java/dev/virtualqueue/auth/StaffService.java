package dev.virtualqueue.auth;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Errors;
import dev.virtualqueue.common.Validate;
import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Staff accounts of the caller's tenant. */
public final class StaffService {
  private static final Logger LOG = LoggerFactory.getLogger(StaffService.class);

  private final StaffRepository repo;
  private final PasswordHasher hasher;
  private final LoginGuard guard;

  StaffService(StaffRepository repo, PasswordHasher hasher, LoginGuard guard) {
    this.repo = repo;
    this.hasher = hasher;
    this.guard = guard;
  }

  /**
   * Creates an account in the caller's tenant. Only an owner may create owner or admin accounts
   * (403 {@code auth.forbidden}); an email already in the tenant is a 409 {@code staff.email_taken}.
   */
  public Future<StaffUser> create(Principal who, AuthViews.CreateStaff req) {
    String email = AuthInput.email("email", req.email());
    String displayName = Validate.text("displayName", req.displayName(), 100, true);
    Role role = AuthInput.role("role", req.role(), "owner", "admin", "agent", "viewer");
    char[] password = AuthInput.newPassword(req.password(), localPart(email), email);
    if (role.atLeast(Role.ADMIN) && !who.role().atLeast(Role.OWNER)) {
      throw AuthInput.onlyOwner("owner or admin accounts");
    }
    return hasher.hash(password)
        .compose(hash -> repo.insert(new StaffUser(UUID.randomUUID(), who.tenantId(), email, displayName, role, hash,
            false, null)))
        .recover(t -> Future.failedFuture(Errors.translate(t, "staff.email_taken",
            "An account with this email exists in the tenant.")))
        .onSuccess(u -> LOG.info("staff account {} ({}) created in tenant {} by {} {}", u.id(), role.wire(),
            who.tenantId(), who.actorKind(), who.actorId()));
  }

  /**
   * Clears the sign-in failures and any lock of account {@code id} of the caller's tenant; 404
   * {@code staff.not_found} for an unknown id or another tenant's.
   */
  public Future<Void> unlock(Principal who, UUID id) {
    return repo.loginKey(who.tenantId(), id).compose(key -> {
      if (key == null) {
        return Future.failedFuture(new ApiException.NotFound("staff.not_found", "No such staff account."));
      }
      return guard.clear(key[0], key[1])
          .onSuccess(v -> LOG.info("sign-in of staff account {} unlocked by {} {}", id, who.actorKind(), who.actorId()));
    });
  }

  static String localPart(String email) {
    int at = email.indexOf('@');
    return at < 0 ? email : email.substring(0, at);
  }

  /** A page of the tenant's accounts ordered by email. */
  public Future<List<StaffUser>> list(Principal who, String afterEmail, int limit) {
    return repo.list(who.tenantId(), afterEmail == null ? "" : afterEmail, limit);
  }
}
