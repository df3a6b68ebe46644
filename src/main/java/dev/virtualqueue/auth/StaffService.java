package dev.virtualqueue.auth;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Errors;
import dev.virtualqueue.common.Validate;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staff accounts of the caller's tenant. The role rules: only an owner creates, changes or resets
 * owner and admin accounts, or gives those roles; the tenant keeps at least one enabled owner.
 */
public final class StaffService {
  private static final Logger LOG = LoggerFactory.getLogger(StaffService.class);

  private final StaffRepository repo;
  private final PasswordHasher hasher;
  private final LoginGuard guard;
  private final SessionRepository sessions;
  private final PasswordLinks links;
  private final AccountTokens ended;

  StaffService(StaffRepository repo, PasswordHasher hasher, LoginGuard guard, Accounts accounts) {
    this.repo = repo;
    this.hasher = hasher;
    this.guard = guard;
    this.sessions = accounts.sessions();
    this.links = accounts.links();
    this.ended = accounts.ended();
  }

  /** What account changes write besides the account row: sessions, password links, the token-version cache. */
  record Accounts(SessionRepository sessions, PasswordLinks links, AccountTokens ended) {
  }

  /** A new account, with its invitation when it was made without a password. */
  record Created(StaffUser user, PasswordLinks.Issued invite) {
  }

  /**
   * Creates an account in the caller's tenant. Only an owner may create owner or admin accounts
   * (403 {@code auth.forbidden}); an email already in the tenant is a 409 {@code staff.email_taken}.
   * Without a password the account is invited: it cannot sign in until the one-time invitation
   * (answered only here) sets a password through {@code POST /api/v1/auth/reset-password}.
   */
  public Future<Created> create(Principal who, AuthViews.CreateStaff req) {
    String email = AuthInput.email("email", req.email());
    String displayName = Validate.text("displayName", req.displayName(), 100, true);
    Role role = AuthInput.role("role", req.role(), "owner", "admin", "agent", "viewer");
    char[] password = req.password() == null ? null : AuthInput.newPassword(req.password(), localPart(email), email);
    if (role.atLeast(Role.ADMIN) && !who.role().atLeast(Role.OWNER)) {
      throw AuthInput.onlyOwner("owner or admin accounts");
    }
    Future<String> hash = password == null ? Future.succeededFuture(null) : hasher.hash(password);
    return hash
        .compose(h -> repo.pool().withTransaction(conn -> repo.insert(conn, new StaffUser(UUID.randomUUID(),
                who.tenantId(), email, displayName, role, h, false, null, 0))
            .compose(u -> h != null ? Future.succeededFuture(new Created(u, null))
                : links.issue(conn, u.tenantId(), u.id(), "invite", creator(who)).map(l -> new Created(u, l)))))
        .recover(t -> Future.failedFuture(Errors.translate(t, "staff.email_taken",
            "An account with this email exists in the tenant.")))
        .onSuccess(c -> LOG.info("staff account {} ({}{}) created in tenant {} by {} {}", c.user().id(), role.wire(),
            c.invite() == null ? "" : ", invited", who.tenantId(), who.actorKind(), who.actorId()));
  }

  /**
   * Changes role, disabled state or display name of account {@code id} of the caller's tenant
   * (404 {@code staff.not_found} for any other). A role change or a disable raises the account's
   * token version and revokes its sessions: its tokens stop at once on every server. Refused: 403
   * {@code auth.forbidden} when a non-owner touches an owner or admin account or gives those roles;
   * 409 {@code staff.last_owner} when it would leave the tenant without an enabled owner.
   */
  public Future<StaffUser> update(Principal who, UUID id, AuthViews.UpdateStaff req) {
    Role role = req.role() == null ? null : AuthInput.role("role", req.role(), "owner", "admin", "agent", "viewer");
    String name = Validate.text("name", req.name(), 100, false);
    if (role == null && req.disabled() == null && name == null) {
      throw new ApiException.BadRequest("request.missing_field", "Send at least one of 'role', 'disabled', 'name'.");
    }
    Patch patch = new Patch(role, req.disabled(), name);
    return repo.pool().withTransaction(conn -> apply(conn, who, id, patch))
        .map(done -> {
          if (done.reason() != null) {
            ended.ended(id, done.reason());
          }
          LOG.info("staff account {} changed by {} {}: {}", id, who.actorKind(), who.actorId(), done.saved());
          return done.saved();
        });
  }

  private record Patch(Role role, Boolean disabled, String name) {
  }

  /** The stored account and, when its tokens were ended, why. */
  private record Outcome(StaffUser saved, String reason) {
  }

  private Future<Outcome> apply(SqlConnection conn, Principal who, UUID id, Patch patch) {
    return repo.lockOwners(conn, who.tenantId()).compose(owners -> repo.lock(conn, who.tenantId(), id).compose(u -> {
      StaffUser next = changed(who, u, patch, owners);
      boolean disabling = next.disabled() && !u.disabled();
      String reason = disabling ? "disabled" : next.role() != u.role() ? "role_changed" : null;
      return repo.update(conn, next, reason != null)
          .compose(saved -> reason == null ? Future.succeededFuture(saved) : sessions.revokeStaff(conn, id).map(saved))
          .map(saved -> new Outcome(saved, reason));
    }));
  }

  /** The account after the change, once the rules allow it. */
  private static StaffUser changed(Principal who, StaffUser u, Patch patch, int owners) {
    if (u == null) {
      throw notFound();
    }
    Role newRole = patch.role() == null ? u.role() : patch.role();
    boolean off = patch.disabled() == null ? u.disabled() : patch.disabled();
    String name = patch.name();
    mayManage(who, u, newRole);
    if (u.role() == Role.OWNER && !u.disabled() && (newRole != Role.OWNER || off) && owners <= 1) {
      throw new ApiException.Conflict("staff.last_owner",
          "This is the tenant's last enabled owner: make another owner first.");
    }
    return new StaffUser(u.id(), u.tenantId(), u.email(), name == null ? u.displayName() : name, newRole,
        u.passwordHash(), off, u.createdAt(), u.tokenVersion());
  }

  /** A non-owner manages only agent and viewer accounts, and gives only those roles. */
  static void mayManage(Principal who, StaffUser target, Role newRole) {
    if (!who.role().atLeast(Role.OWNER) && (target.role().atLeast(Role.ADMIN) || newRole.atLeast(Role.ADMIN))) {
      throw new ApiException.Forbidden("auth.forbidden", "Only an owner may manage owner or admin accounts.");
    }
  }

  /**
   * Issues a one-time password link for account {@code id}: a reset (valid 1 hour), or an
   * invitation (7 days) while the account has no password yet. Spends the account's older links.
   * The same role rules as {@link #update}; nothing else changes until the link is used.
   */
  public Future<PasswordLinks.Issued> resetLink(Principal who, UUID id) {
    return repo.find(who.tenantId(), id).compose(u -> {
      if (u == null) {
        return Future.failedFuture(notFound());
      }
      mayManage(who, u, u.role());
      String purpose = u.passwordHash() == null ? "invite" : "reset";
      return repo.pool().withTransaction(conn -> links.issue(conn, who.tenantId(), id, purpose, creator(who)))
          .onSuccess(l -> LOG.info("{} link for staff account {} issued by {} {}", purpose, id, who.actorKind(),
              who.actorId()));
    });
  }

  /**
   * Clears the sign-in failures and any lock of account {@code id} of the caller's tenant; 404
   * {@code staff.not_found} for an unknown id or another tenant's.
   */
  public Future<Void> unlock(Principal who, UUID id) {
    return repo.loginKey(who.tenantId(), id).compose(key -> {
      if (key == null) {
        return Future.failedFuture(notFound());
      }
      return guard.clear(key[0], key[1])
          .onSuccess(v -> LOG.info("sign-in of staff account {} unlocked by {} {}", id, who.actorKind(), who.actorId()));
    });
  }

  private static UUID creator(Principal who) {
    return who.kind() == Principal.Kind.STAFF ? who.actorId() : null;
  }

  private static ApiException notFound() {
    return new ApiException.NotFound("staff.not_found", "No such staff account.");
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
