package dev.virtualqueue.auth;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Errors;
import dev.virtualqueue.common.Validate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** API keys for integrations: create (shown once), list, revoke, and authenticate a presented key. */
public final class ApiKeyService {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyService.class);
  private static final int PREFIX_ATTEMPTS = 3;

  /** Every {@code state} of {@code vq_api_key_requests_total} (keys have no expiry, so no {@code expired}). */
  static final List<String> STATES = List.of("active", "revoked", "unknown");

  private final ApiKeyRepository repo;
  private final ApiKeyCache cache;
  private final StaffRepository staff;
  private final Map<String, Counter> requests;

  ApiKeyService(ApiKeyRepository repo, ApiKeyCache cache, StaffRepository staff, MeterRegistry registry) {
    this.repo = repo;
    this.cache = cache;
    this.staff = staff;
    this.requests = STATES.stream().collect(Collectors.toMap(Function.identity(), s -> Counter
        .builder("vq.api.key.requests").description("Requests presenting an API key, by the key's state")
        .tag("state", s).register(registry)));
  }

  /**
   * Creates a key in the caller's tenant; the answer holds the key, which is never shown again.
   * Only an owner may create an admin key (403 {@code auth.forbidden}). A staff caller's account is
   * read first: with a token of an account disabled since (401 {@code auth.token_revoked}) or
   * demoted since (the current role counts), no key is minted.
   */
  public Future<AuthViews.CreatedApiKey> create(Principal who, AuthViews.CreateApiKey req) {
    String name = Validate.text("name", req.name(), 100, true);
    Role role = AuthInput.role("role", req.role(), "admin", "agent", "viewer");
    return current(who).compose(caller -> {
      if (!caller.role().atLeast(Role.ADMIN)) {
        return Future.failedFuture(new ApiException.Forbidden("auth.forbidden", "This needs the admin role or higher."));
      }
      if (role == Role.ADMIN && !caller.role().atLeast(Role.OWNER)) {
        return Future.failedFuture(AuthInput.onlyOwner("admin keys"));
      }
      return mint(caller, name, role);
    });
  }

  /** The caller as the database has it now: a staff member's current role; 401 when disabled or gone. */
  private Future<Principal> current(Principal who) {
    if (who.kind() != Principal.Kind.STAFF) {
      return Future.succeededFuture(who);
    }
    return staff.find(who.tenantId(), who.actorId()).compose(u -> u == null || u.disabled()
        ? Future.failedFuture(AuthHandler.revoked())
        : Future.succeededFuture(new Principal(who.tenantId(), who.kind(), who.actorId(), u.role())));
  }

  private Future<AuthViews.CreatedApiKey> mint(Principal who, String name, Role role) {
    return insert(who, name, role, PREFIX_ATTEMPTS)
        .onSuccess(k -> LOG.info("API key {} ({}, prefix {}) created in tenant {} by {} {}", k.id(), role.wire(),
            k.prefix(), who.tenantId(), who.actorKind(), who.actorId()));
  }

  private Future<AuthViews.CreatedApiKey> insert(Principal who, String name, Role role, int attempts) {
    ApiKeyTokens.Generated g = ApiKeyTokens.generate();
    UUID createdBy = who.kind() == Principal.Kind.STAFF ? who.actorId() : null;
    ApiKey key = new ApiKey(UUID.randomUUID(), who.tenantId(), name, g.prefix(), ApiKeyTokens.hash(g.key()), role,
        createdBy, null, null, null);
    return repo.insert(key)
        .map(saved -> new AuthViews.CreatedApiKey(saved.id(), saved.name(), role.wire(), saved.prefix(), g.key(),
            saved.createdAt()))
        .recover(t -> attempts > 1 && Errors.isUniqueViolation(t, null) // a prefix collision: draw again
            ? insert(who, name, role, attempts - 1) : Future.failedFuture(t));
  }

  /** A page of the tenant's keys (revoked ones included) in creation order, after key {@code afterId}. */
  public Future<List<ApiKey>> list(Principal who, UUID afterId, int limit) {
    return repo.list(who.tenantId(), afterId, limit);
  }

  /** Revokes a key of the caller's tenant at once (404 {@code api_key.not_found} for any other). */
  public Future<Void> revoke(Principal who, UUID id) {
    return repo.revoke(who.tenantId(), id).map(prefix -> {
      if (prefix == null) {
        throw Errors.notFound("api_key");
      }
      cache.revoked(prefix);
      LOG.info("API key {} revoked in tenant {} by {} {}", id, who.tenantId(), who.actorKind(), who.actorId());
      return null;
    });
  }

  /**
   * Authenticates a presented {@code vq_...} key: known, not revoked, and its SHA-256 equal to the
   * stored one (constant-time). Fails with 401 {@code auth.invalid_api_key}.
   */
  public Future<Principal> authenticate(String presented) {
    String prefix = ApiKeyTokens.prefixOf(presented);
    if (prefix == null) {
      requests.get("unknown").increment();
      return Future.failedFuture(invalid());
    }
    ApiKeyCache.Entry hit = cache.get(prefix);
    if (hit != null && hit.key() == null) { // a tombstone: revoked (or changed) moments ago
      requests.get("revoked").increment();
      return Future.failedFuture(invalid());
    }
    Future<ApiKey> key = hit != null ? Future.succeededFuture(hit.key()) : load(prefix);
    return key.map(k -> check(k, presented));
  }

  private Future<ApiKey> load(String prefix) {
    long started = cache.now();
    return repo.findByPrefix(prefix).onSuccess(k -> {
      if (k != null) {
        cache.put(k, started);
      }
    });
  }

  private Principal check(ApiKey key, String presented) {
    if (key == null || !ApiKeyTokens.matches(presented, key.keyHash())) {
      requests.get("unknown").increment();
      throw invalid();
    }
    if (key.revoked()) {
      requests.get("revoked").increment();
      throw invalid();
    }
    requests.get("active").increment();
    if (cache.dueForTouch(key.id())) {
      repo.touch(key.id()).onFailure(t -> LOG.warn("could not record use of API key {}: {}", key.id(), t.getMessage()));
    }
    return new Principal(key.tenantId(), Principal.Kind.API_KEY, key.id(), key.role());
  }

  private static ApiException.Unauthorized invalid() {
    return new ApiException.Unauthorized("auth.invalid_api_key", "The API key is unknown or revoked.");
  }
}
