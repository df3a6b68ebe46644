package dev.virtualqueue.auth;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Validate;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tenants and their owners. */
public final class TenantService {
  private static final Logger LOG = LoggerFactory.getLogger(TenantService.class);

  private final Pool pool;
  private final TenantRepository tenants;
  private final StaffRepository staff;
  private final PasswordHasher hasher;

  public TenantService(Pool pool, PasswordHasher hasher) {
    this.pool = pool;
    this.tenants = new TenantRepository();
    this.staff = new StaffRepository(pool);
    this.hasher = hasher;
  }

  /** Result of a bootstrap: the tenant id and whether anything was created. */
  public record Bootstrapped(UUID tenantId, UUID ownerId, boolean created) {
  }

  private record Input(String slug, String name, String email, String displayName, char[] password) {
  }

  /**
   * Creates the tenant and its owner if absent; idempotent. When the tenant exists and has an
   * account with this email, nothing changes (not even its password or role) and {@code created}
   * is false. A tenant that exists without that account is left alone: 409 {@code tenant.exists}.
   * Hashing runs off the event loop.
   *
   * @param name tenant display name; blank means the slug
   * @param displayName owner's display name; blank means the part of the email before '@'
   * @return fails with 400 on a bad slug or email, or a password shorter than {@value PasswordHasher#MIN_LENGTH}
   */
  public Future<Bootstrapped> bootstrap(String slug, String name, String email, String displayName, char[] password) {
    Input in;
    try {
      in = validate(slug, name, email, displayName, password);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    return tenants.find(pool, in.slug(), in.email())
        .compose(found -> found.tenantId() != null
            ? Future.succeededFuture(existing(in, found))
            : hasher.hash(in.password()).compose(hash -> create(in, hash)))
        .onSuccess(b -> LOG.info("bootstrap of tenant '{}': {}", in.slug(),
            b.created() ? "created with owner " + b.ownerId() : "already there, nothing changed"));
  }

  /** Checks the bootstrap input without touching the database; throws 400s. */
  static void check(String slug, String email, char[] password) {
    validate(slug, null, email, null, password);
  }

  private static Input validate(String slug, String name, String email, String displayName, char[] password) {
    String s = AuthInput.tenantSlug("tenant", slug);
    String e = AuthInput.email("email", email);
    String n = Validate.text("name", name, 100, false);
    String d = Validate.text("displayName", displayName, 100, false);
    PasswordHasher.checkNew(password, s, StaffService.localPart(e), e);
    return new Input(s, n == null ? s : n, e, d == null ? e.substring(0, e.indexOf('@')) : d, password);
  }

  private Future<Bootstrapped> create(Input in, String hash) {
    UUID tenantId = UUID.randomUUID();
    return pool.withTransaction(tx -> tenants.insertIfAbsent(tx, tenantId, in.slug(), in.name())
        .compose(created -> created
            ? staff.insert(tx, owner(tenantId, in, hash)).map(u -> new Bootstrapped(tenantId, u.id(), true))
            : tenants.find(tx, in.slug(), in.email()).map(found -> existing(in, found)))); // lost a race
  }

  private static Bootstrapped existing(Input in, TenantRepository.Existing found) {
    if (found.staffId() == null) {
      throw new ApiException.Conflict("tenant.exists", "Tenant '" + in.slug() + "' already exists without an"
          + " account '" + in.email() + "'; nothing changed. Its owner can add staff through the API.");
    }
    return new Bootstrapped(found.tenantId(), found.staffId(), false);
  }

  private static StaffUser owner(UUID tenantId, Input in, String hash) {
    return new StaffUser(UUID.randomUUID(), tenantId, in.email(), in.displayName(), Role.OWNER, hash, false, null, 0);
  }
}
