package dev.virtualqueue.testing;

import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.config.ConfigLoader;
import dev.virtualqueue.db.Database;
import dev.virtualqueue.server.App;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real server for integration tests: its own Postgres database and Redis key prefix,
 * started on free ports, driven over HTTP. {@link #restart()} keeps the data; {@link #close()}
 * drops the database and the Redis keys.
 *
 * <p>A test class that needs one server for all its tests registers it as an extension, which
 * starts it before the class's {@code @BeforeAll} methods and closes it after its {@code @AfterAll}
 * methods: {@code @RegisterExtension static final TestServer server = TestServer.perClass();}.
 */
public final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  /** VQ_TEST_PG_URL, the local server, or (nothing answering there) an embedded one: see {@link TestStores}. */
  public static final String PG_URL = TestStores.postgres();
  /** VQ_TEST_REDIS_URL, the local server, or (nothing answering there) one of this JVM's own. */
  public static final String REDIS_URL = TestStores.redis();

  private final String pgBase;
  private final String database;
  private final String prefix;
  private final String redisUrl;
  private final Map<String, String> extraEnv;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private App app;
  private boolean owner = true;
  /** The JUnit context that started this server, when it runs as a per-class extension. */
  private String startedBy;

  private TestServer(String pgBase, String database, String prefix, String redisUrl, Map<String, String> extraEnv) {
    this.pgBase = pgBase;
    this.database = database;
    this.prefix = prefix;
    this.redisUrl = redisUrl;
    this.extraEnv = extraEnv;
  }

  /** A fresh database and prefix, on the shared test Redis. */
  public static TestServer start() {
    return start(REDIS_URL, Map.of());
  }

  /** A fresh database and prefix on the given Redis, with extra {@code VQ_*} settings. */
  public static TestServer start(String redisUrl, Map<String, String> extraEnv) {
    return start(PG_URL, redisUrl, extraEnv);
  }

  /** A fresh database on the given Postgres server (a libpq URI of its maintenance database). */
  public static TestServer start(String pgBase, String redisUrl, Map<String, String> extraEnv) {
    TestServer s = fresh(pgBase, redisUrl, extraEnv);
    s.create();
    return s;
  }

  /**
   * A server for a {@code @RegisterExtension static final} field: a fresh database and prefix on
   * the shared test stores, started before the class's tests and closed after them.
   */
  public static TestServer perClass() {
    return perClass(Map.of());
  }

  /** {@link #perClass()} with extra {@code VQ_*} settings. */
  public static TestServer perClass(Map<String, String> extraEnv) {
    return fresh(PG_URL, REDIS_URL, extraEnv);
  }

  private static TestServer fresh(String pgBase, String redisUrl, Map<String, String> extraEnv) {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    return new TestServer(pgBase, "vq_it_" + id, "vqit" + id, redisUrl, extraEnv);
  }

  private void create() {
    sql("CREATE DATABASE " + database, "postgres");
    boot();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (startedBy == null) {
      // set first: a class whose start fails still drops what was made; a nested class shares the server
      startedBy = context.getUniqueId();
      create();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (context.getUniqueId().equals(startedBy)) {
      close();
    }
  }

  /**
   * A second server process-alike on the same database and Redis prefix (scale-out tests);
   * closing it leaves the shared data to the first.
   */
  public TestServer sibling() {
    TestServer s = new TestServer(pgBase, database, prefix, redisUrl, extraEnv);
    s.owner = false;
    s.boot();
    return s;
  }

  private void boot() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("VQ_CONFIG", "conf/virtual-queue.json");
    env.put("VQ_PROFILE", "dev");
    env.put("VQ_HTTP_PORT", "0");
    env.put("VQ_MANAGEMENT_PORT", "0");
    env.put("VQ_HTTP_HOST", "127.0.0.1");
    env.put("VQ_MANAGEMENT_HOST", "127.0.0.1");
    env.put("VQ_PG_URL", pgUrl());
    env.put("VQ_REDIS_URL", redisUrl);
    env.put("VQ_REDIS_KEY_PREFIX", prefix);
    // every test client is 127.0.0.1: limits off unless a test turns them on (RateLimitIT, docs/rate-limits.md)
    env.put("VQ_RATE_LIMIT_ENABLED", "false");
    env.putAll(extraEnv);
    AppConfig config = ConfigLoader.load(env);
    try {
      app = App.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("server did not start", e);
    }
  }

  /** Libpq URI of this test's own database. */
  public String pgUrl() {
    URI base = URI.create(pgBase);
    return base.getScheme() + "://" + (base.getUserInfo() == null ? "" : base.getUserInfo() + "@")
        + base.getHost() + ":" + (base.getPort() > 0 ? base.getPort() : 5432) + "/" + database;
  }

  public String prefix() {
    return prefix;
  }

  public App app() {
    return app;
  }

  /** Stops the server (as a crash or deploy would) and starts it again on the same data. */
  public void restart() {
    stop();
    boot();
  }

  public void stop() {
    if (app != null) {
      app.close().toCompletionStage().toCompletableFuture().join();
      app = null;
    }
  }

  public String base() {
    return "http://127.0.0.1:" + app.httpPort();
  }

  public String management() {
    return "http://127.0.0.1:" + app.managementPort();
  }

  /** Sends a request; {@code headers} are name/value pairs. A JSON body gets its content type. */
  public Resp http(String method, String path, String body, String... headers) {
    return send(method, base() + path, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        headers);
  }

  /** Sends raw bytes (for malformed-input tests). */
  public Resp send(String method, String url, byte[] body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    boolean typed = false;
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
      typed |= headers[i].equalsIgnoreCase("Content-Type");
    }
    if (body != null && !typed) {
      b.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Resp(r.statusCode(), r.headers().map(), r.body());
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + url + " failed", e);
    }
  }

  /** Creates a tenant with an owner (through the bootstrap service) and returns a staff session. */
  public Staff tenant(String slug) {
    String email = "owner@" + slug + ".test";
    String password = "correct-horse-" + slug;
    try {
      app.modules().auth().tenants().bootstrap(slug, "Tenant " + slug, email, "Owner", password.toCharArray())
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("bootstrap failed", e);
    }
    return new Staff(this, slug, login(slug, email, password));
  }

  /** Logs in and returns the access token. */
  public String login(String tenant, String email, String password) {
    Resp r = http("POST", "/api/v1/auth/login", new JsonObject().put("tenant", tenant).put("email", email)
        .put("password", password).encode());
    if (r.status() != 200) {
      throw new IllegalStateException("login failed: " + r);
    }
    return r.json().getString("accessToken");
  }

  /** Runs SQL on this test's database (or, with {@code db}, on another one). */
  public void sql(String statement, String... db) {
    try (Connection c = connect(db.length > 0 ? db[0] : database)) {
      c.createStatement().execute(statement);
    } catch (Exception e) {
      throw new IllegalStateException(statement, e);
    }
  }

  /** Reads one number from this test's database. */
  public long count(String query) {
    try (Connection c = connect(database); var rs = c.createStatement().executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(query, e);
    }
  }

  /** Reads one value of this test's database as text (null for SQL NULL or no row). */
  public String scalar(String query) {
    try (Connection c = connect(database); var rs = c.createStatement().executeQuery(query)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (Exception e) {
      throw new IllegalStateException(query, e);
    }
  }

  /** A JDBC connection to this test's database, for a test that holds locks or a transaction open. */
  public Connection database() throws SQLException {
    return connect(database);
  }

  private Connection connect(String db) throws SQLException {
    return jdbc(pgBase, db);
  }

  /** A JDBC connection to database {@code db} of the Postgres server that {@code pgBase} (a libpq URI) names. */
  public static Connection jdbc(String pgBase, String db) throws SQLException {
    URI base = URI.create(pgBase);
    return DriverManager.getConnection("jdbc:postgresql://" + base.getHost() + ":"
        + (base.getPort() > 0 ? base.getPort() : 5432) + "/" + db, Database.user(base), Database.password(base));
  }

  @Override
  public void close() {
    stop();
    if (owner) {
      sql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)", "postgres");
      Redis.deleteKeys(redisUrl, prefix + ":*");
    }
  }
}
