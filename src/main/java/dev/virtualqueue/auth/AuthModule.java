package dev.virtualqueue.auth;

import dev.virtualqueue.audit.AuditActor;
import dev.virtualqueue.audit.AuditHandler;
import dev.virtualqueue.audit.AuditLog;
import dev.virtualqueue.audit.AuditRoutes;
import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.SecretSealer;
import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.config.ServerKey;
import dev.virtualqueue.http.Routes;
import dev.virtualqueue.limit.ClientAddress;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staff authentication and authorisation: JWT login, API keys, staff accounts, tenant bootstrap.
 * Built once and shared by every HTTP verticle instance; see docs/auth.md.
 */
public final class AuthModule {
  private static final Logger LOG = LoggerFactory.getLogger(AuthModule.class);

  private static final long GAUGE_REFRESH_MS = 15_000;

  /** What the module needs from the server: Postgres, Redis (sign-in lockout) and the meter registry. */
  public record Stores(Pool pool, Redis redis, MeterRegistry registry, PgConnectOptions listen) {
  }

  private final JwtKeys keys;
  private final TokenService tokens;
  private final TenantService tenants;
  private final StaffService staff;
  private final ApiKeyService apiKeys;
  private final LoginService logins;
  private final AuthHandler authenticate;
  private final AuditLog audit;
  private final AuditHandler auditStep;
  private final ApiKeyRevocations revocations;
  private final ApiKeyCache keyCache;
  private final TokenVersions versions;
  private final PasswordService passwords;
  private final SessionRepository sessionRepo;
  private final PasswordLinks links;
  private final ClientAddress addresses;
  private final CrossTenantDenials crossTenant;
  private final ServerKey serverKey;
  private final TwoFactorService twoFactor;
  private final TwoFactorLogin twoFactorLogin;

  private AuthModule(Vertx vertx, AppConfig config, Stores stores, JwtKeys keys, ServerKey serverKey) {
    Pool pool = stores.pool();
    PasswordHasher hasher = new PasswordHasher(vertx);
    StaffRepository staffRepo = new StaffRepository(pool);
    LoginGuard guard = new LoginGuard(stores.redis(), config.redis().keyPrefix(), stores.registry(),
        System::currentTimeMillis);
    guard.start(vertx, GAUGE_REFRESH_MS);
    this.keys = keys;
    this.tokens = new TokenService(vertx, keys, config.jwt());
    this.tenants = new TenantService(pool, hasher);
    this.versions = new TokenVersions(vertx, staffRepo, stores.listen());
    this.sessionRepo = new SessionRepository(pool);
    this.links = new PasswordLinks(pool);
    AccountTokens ended = new AccountTokens(versions, stores.registry());
    StaffService.Accounts accounts = new StaffService.Accounts(sessionRepo, links, ended);
    this.staff = new StaffService(staffRepo, hasher, guard, accounts);
    this.keyCache = new ApiKeyCache();
    keyCache.trust(false); // until the LISTEN is in place
    this.revocations = new ApiKeyRevocations(vertx, keyCache, stores.listen());
    this.apiKeys = new ApiKeyService(new ApiKeyRepository(pool), keyCache, staffRepo, stores.registry());
    this.crossTenant = new CrossTenantDenials(stores.registry());
    this.authenticate = new AuthHandler(tokens, apiKeys, versions, crossTenant);
    this.audit = new AuditLog(pool);
    this.passwords = new PasswordService(staffRepo, hasher, guard, accounts, audit);
    this.addresses = ClientAddress.of(config.rateLimit().trustedProxies());
    this.serverKey = serverKey;
    SessionService sessions = new SessionService(sessionRepo, staffRepo, tokens, ended, stores.registry());
    SignInAttempts attempts = new SignInAttempts(guard, audit, stores.registry());
    TwoFactorRepository twoFactorRepo = new TwoFactorRepository(pool);
    TwoFactorCodes codes = twoFactorCodes(twoFactorRepo, serverKey);
    this.twoFactorLogin = new TwoFactorLogin(new TwoFactorLogin.Parts(twoFactorRepo, codes,
        new SignInChallenges(stores.redis(), config.redis().keyPrefix()), staffRepo, sessions, attempts, audit));
    this.twoFactor = new TwoFactorService(twoFactorRepo, codes, staffRepo, hasher, attempts, vertx);
    this.logins = new LoginService(staffRepo, hasher, sessions, attempts, twoFactorLogin);
    this.auditStep = new AuditHandler(audit, AuthModule::actor);
  }

  /** TOTP codes: secrets sealed with a key derived from the server key, never stored in the clear. */
  private static TwoFactorCodes twoFactorCodes(TwoFactorRepository repo, ServerKey serverKey) {
    return new TwoFactorCodes(repo, new Totp(System::currentTimeMillis),
        new SecretSealer(serverKey.derive("totp-seal"), new SecureRandom()));
  }

  /** The audit actor of a staff request: its tenant, its staff user or API key, and the kind. */
  static AuditActor actor(RoutingContext ctx) {
    Principal p = Caller.of(ctx);
    return new AuditActor(p.tenantId(), p.actorId() == null ? "system" : p.actorId().toString(), p.actorKind());
  }

  /**
   * Loads (or, in the dev profile with no keys, generates) the signing keys, then the server key
   * ({@code serverKey}, run on a worker: it may write the key file, so only once the JWT keys are
   * usable), and wires the services. Fails with a {@link JwtKeys.KeyException} naming the problem
   * when no usable key exists.
   */
  public static Future<AuthModule> create(Vertx vertx, AppConfig config, Stores stores, Callable<ServerKey> serverKey) {
    return JwtKeys.forConfig(vertx, config)
        .compose(keys -> vertx.executeBlocking(serverKey).map(sk -> new AuthModule(vertx, config, stores, keys, sk)))
        .onSuccess(m -> LOG.info("auth ready: {} tokens signed with kid '{}', {} verification key(s), TTL {} s",
            JwtKeys.ALGORITHM, m.keys.signingKid(), m.keys.kids().size(), config.jwt().ttlSeconds()));
  }

  /** Starts listening for API-key revocations and token-version changes of other instances (Postgres NOTIFY). */
  public void start() {
    revocations.start();
    versions.start();
  }

  public void stop() {
    revocations.stop();
    versions.stop();
  }

  /** Whether the token-version cache hears other instances' changes (tests wait for it). */
  boolean tokenVersionsTrusted() {
    return versions.trusted();
  }

  /** How many token checks read their account from Postgres (tests). */
  long tokenVersionLookups() {
    return versions.lookups();
  }

  /** Deletes expired and revoked sessions and spent password links (housekeeping); how many rows went. */
  public Future<Long> purgeSessions() {
    return sessionRepo.purge().compose(n -> links.purge().map(m -> n + m));
  }

  /** Whether the API-key cache hears other instances' revocations (tests wait for it). */
  boolean apiKeyCacheTrusted() {
    return keyCache.trusted();
  }

  /** Authenticates a staff or API-key request and stores its {@link Principal} in the context. */
  public Handler<RoutingContext> authenticate() {
    return authenticate;
  }

  /** Refuses (403 {@code auth.forbidden}) callers whose role is below {@code role}. */
  public static Handler<RoutingContext> require(Role role) {
    return ctx -> {
      Principal who = ctx.get(Caller.KEY);
      if (who == null) {
        ctx.fail(new ApiException.Unauthorized("auth.missing_token", "Sign in first."));
      } else if (!who.role().atLeast(role)) {
        ctx.fail(new ApiException.Forbidden("auth.forbidden", "This needs the " + role.wire() + " role or higher."));
      } else {
        ctx.next();
      }
    };
  }

  /** The route table of {@code router}: staff routes authenticate here and check roles with {@link #require}. */
  public Routes<Role> routes(Router router) {
    return new Routes<>(router, authenticate, AuthModule::require, auditStep::forRoute);
  }

  /** Mounts /api/v1/auth (sign-in, 2FA), /api/v1/tenant/settings, /api/v1/api-keys, /api/v1/staff and /api/v1/audit. */
  public void mount(Router router) {
    Routes<Role> routes = routes(router);
    new AuthRoutes(logins, passwords, audit, addresses).mount(routes);
    new TwoFactorRoutes(twoFactor, twoFactorLogin, addresses).mount(routes, new Routes<>(router,
        new EnrolmentAuth(authenticate, twoFactorLogin), AuthModule::require, auditStep::forRoute));
    new AuditRoutes<Role>(audit, AuthModule::actor).mount(routes, Role.ADMIN);
    new StaffRoutes(staff).mount(routes);
    new ApiKeyRoutes(apiKeys).mount(routes);
  }

  /** Counts 404s for other tenants' ids; the server tells it where ids live. */
  public CrossTenantDenials crossTenant() {
    return crossTenant;
  }

  /** The server key loaded at {@link #create} (the other modules derive their keys from it). */
  public ServerKey serverKey() {
    return serverKey;
  }

  /** The tenant service (bootstrap and demo seeding use it). */
  public TenantService tenants() {
    return tenants;
  }

  /** Access-token signing and verification (e.g. for tests and other token kinds). */
  public TokenService tokens() {
    return tokens;
  }

  /** The JWT keys, e.g. to publish the public JWK set. */
  public JwtKeys keys() {
    return keys;
  }

  /** The audit log (its meters are bound by the server; housekeeping purges it). */
  public AuditLog audit() {
    return audit;
  }

  public StaffService staff() {
    return staff;
  }

  public ApiKeyService apiKeys() {
    return apiKeys;
  }
}
