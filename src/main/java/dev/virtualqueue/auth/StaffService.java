package dev.virtualqueue.auth;

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

  StaffService(StaffRepository repo, PasswordHasher hasher) {
    this.repo = repo;
    this.hasher = hasher;
  }

  /**
   * Creates an account in the caller's tenant. Only an owner may create owner or admin accounts
   * (403 {@code auth.forbidden}); an email already in the tenant is a 409 {@code staff.email_taken}.
   */
  public Future<StaffUser> create(Principal who, AuthViews.CreateStaff req) {
    String email = AuthInput.email("email", req.email());
    String displayName = Validate.text("displayName", req.displayName(), 100, true);
    Role role = AuthInput.role("role", req.role(), "owner", "admin", "agent", "viewer");
    char[] password = AuthInput.newPassword(req.password());
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

  /** A page of the tenant's accounts ordered by email. */
  public Future<List<StaffUser>> list(Principal who, String afterEmail, int limit) {
    return repo.list(who.tenantId(), afterEmail == null ? "" : afterEmail, limit);
  }
}
