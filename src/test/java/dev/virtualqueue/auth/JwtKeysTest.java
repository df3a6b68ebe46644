package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class JwtKeysTest {
  /** Written by {@code openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256}: no PUBLIC KEY block. */
  private static final String OPENSSL_KEY = """
      -----BEGIN PRIVATE KEY-----
      MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg8XNib5uf4Ia5wHTz
      M75KR6Al/X00Wz7YmvM0QNIY0jqhRANCAAT4XXEbpFV4O7hg8MBTEOJXi/TObPwJ
      +I01nteEZZaQrl5m4pKd1K/K4bdyYMAp3LCBOyKm16nBAZbEL2W9OLJP
      -----END PRIVATE KEY-----
      """;
  private static final AppConfig.Jwt JWT = new AppConfig.Jwt("", "vq-test", 600);

  @TempDir
  Path dir;

  @Test
  void generatedKeySignsWithKidAndVerifies(Vertx vertx) {
    JwtKeys keys = JwtKeys.generate();
    TokenService tokens = new TokenService(vertx, keys, JWT);
    UUID tenant = UUID.randomUUID();
    UUID staff = UUID.randomUUID();

    String token = tokens.issue(tenant, staff, Role.AGENT).token();

    assertThat(header(token).getString("alg")).isEqualTo("ES256");
    assertThat(header(token).getString("kid")).isEqualTo(keys.signingKid());
    JsonObject claims = payload(token);
    assertThat(claims.getString("sub")).isEqualTo(staff.toString());
    assertThat(claims.getString("tenant")).isEqualTo(tenant.toString());
    assertThat(claims.getString("role")).isEqualTo("agent");
    assertThat(claims.getString("iss")).isEqualTo("vq-test");
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(600);
    assertThat(tokens.verify(token).await())
        .isEqualTo(new Principal(tenant, Principal.Kind.STAFF, staff, Role.AGENT));
  }

  @Test
  void newestKeySignsAndTokensOfTheOlderStillVerify(Vertx vertx) throws Exception {
    write("2024-12.pem", PemKeys.generate());
    TokenService before = new TokenService(vertx, JwtKeys.load(dir), JWT);
    String oldToken = before.issue(UUID.randomUUID(), UUID.randomUUID(), Role.ADMIN).token();

    write("2025-01.pem", PemKeys.generate());
    JwtKeys rotated = JwtKeys.load(dir);
    TokenService after = new TokenService(vertx, rotated, JWT);

    assertThat(rotated.kids()).containsExactly("2024-12", "2025-01");
    assertThat(rotated.signingKid()).isEqualTo("2025-01");
    for (int i = 0; i < 20; i++) { // vertx picks randomly among signing keys: only one may sign
      assertThat(header(after.issue(UUID.randomUUID(), UUID.randomUUID(), Role.ADMIN).token()).getString("kid"))
          .isEqualTo("2025-01");
    }
    assertThat(header(oldToken).getString("kid")).isEqualTo("2024-12");
    assertThat(after.verify(oldToken).await().role()).isEqualTo(Role.ADMIN);
    assertThat(rotated.publicJwks().getJsonArray("keys")).hasSize(2)
        .allSatisfy(k -> assertThat(((JsonObject) k).containsKey("d")).isFalse());
  }

  @Test
  void aRetiredPublicOnlyKeyVerifiesButDoesNotSign(Vertx vertx) throws Exception {
    KeyPair retired = PemKeys.generate();
    TokenService old = new TokenService(vertx, keysOf("z-retired", retired), JWT);
    String oldToken = old.issue(UUID.randomUUID(), UUID.randomUUID(), Role.VIEWER).token();
    Files.writeString(dir.resolve("z-retired.pem"), PemKeys.pem("PUBLIC KEY", retired.getPublic().getEncoded()));
    write("a-current.pem", PemKeys.generate());

    JwtKeys keys = JwtKeys.load(dir);

    assertThat(keys.signingKid()).isEqualTo("a-current");
    assertThat(new TokenService(vertx, keys, JWT).verify(oldToken).await().role()).isEqualTo(Role.VIEWER);
  }

  @Test
  void readsOpensslKeysWithoutAPublicBlock() throws Exception {
    Files.writeString(dir.resolve("ops.pem"), OPENSSL_KEY);
    Files.writeString(dir.resolve("README.txt"), "not a key");
    assertThat(JwtKeys.load(dir).kids()).containsExactly("ops");
  }

  @Test
  void tokensOfUnknownKeysExpiredGarbageOrForeignIssuerAreRejected(Vertx vertx) {
    JwtKeys keys = JwtKeys.generate();
    TokenService tokens = new TokenService(vertx, keys, JWT);
    TokenService stranger = new TokenService(vertx, JwtKeys.generate(), JWT);
    TokenService otherIssuer = new TokenService(vertx, keys, new AppConfig.Jwt("", "someone-else", 600));
    UUID t = UUID.randomUUID();

    assertInvalid(tokens, stranger.issue(t, t, Role.OWNER).token());
    assertInvalid(tokens, otherIssuer.issue(t, t, Role.OWNER).token());
    assertInvalid(tokens, tokens.issue(t, t, Role.OWNER, -60).token());
    assertInvalid(tokens, "garbage");
    assertInvalid(tokens, "a.b.c");
    assertInvalid(tokens, tokens.issue(t, t, Role.VIEWER).token() + "x");
    String valid = tokens.issue(t, t, Role.VIEWER).token();
    String[] parts = valid.split("\\.");
    String forgedPayload = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(payload(valid).put("role", "owner").encode().getBytes());
    assertInvalid(tokens, parts[0] + "." + forgedPayload + "." + parts[2]);
    String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
    assertInvalid(tokens, none + "." + parts[1] + ".");
  }

  /** RFC 7515 §4.1.11: a {@code crit} header naming an extension we do not understand makes the token invalid. */
  @Test
  void aCorrectlySignedTokenWithACritHeaderIsRejected(Vertx vertx) {
    JwtKeys keys = JwtKeys.generate();
    TokenService tokens = new TokenService(vertx, keys, JWT);
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions().setAlgorithm(JwtKeys.ALGORITHM));
    keys.authJwks().forEach(options::addJwk);
    JWTAuth signer = JWTAuth.create(vertx, options); // the server's own signing key
    UUID t = UUID.randomUUID();
    JsonObject claims = new JsonObject().put(TokenService.TENANT, t.toString()).put(TokenService.ROLE, "owner");
    JWTOptions base = new JWTOptions().setAlgorithm(JwtKeys.ALGORITHM).setIssuer(JWT.issuer())
        .setSubject(t.toString()).setExpiresInSeconds(600);

    // the same signer without crit is accepted: only the header differs
    assertThat(tokens.verify(signer.generateToken(claims, base)).await().role()).isEqualTo(Role.OWNER);
    for (JsonObject header : List.of(
        new JsonObject().put("crit", new JsonArray().add("vq-ext")).put("vq-ext", true),
        new JsonObject().put("crit", new JsonArray().add("exp")),
        new JsonObject().put("crit", new JsonArray()))) {
      String token = signer.generateToken(claims, new JWTOptions(base.toJson()).setHeader(header));
      assertThat(header(token).getValue("crit")).isNotNull();
      assertInvalid(tokens, token);
    }
  }

  @Test
  void emptyFolderOutsideDevRefusesToStartWithAClearMessage(Vertx vertx) {
    assertThatThrownBy(() -> JwtKeys.forConfig(vertx, config(AppConfig.Profile.PROD, dir.toString())).await())
        .isInstanceOf(JwtKeys.KeyException.class)
        .hasMessageContaining("VQ_JWT_KEYS_DIR=" + dir)
        .hasMessageContaining("holds no JWT key");
    assertThatThrownBy(() -> config(AppConfig.Profile.PROD, "")) // refused even earlier, by the config loader
        .hasMessageContaining("VQ_JWT_KEYS_DIR is required");
    assertThatThrownBy(() -> JwtKeys.load(dir.resolve("missing")))
        .hasMessageContaining("is not a readable directory");
  }

  @Test
  void devProfileSavesItsKeyAndReusesItOnTheNextStart(Vertx vertx) throws Exception {
    Path keysDir = dir.resolve("dev/jwt-keys");
    JwtKeys first = JwtKeys.forConfig(vertx, config(AppConfig.Profile.DEV, keysDir.toString())).await();
    Path file = keysDir.resolve(first.signingKid() + ".pem");
    assertThat(file).exists();
    assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    JwtKeys again = JwtKeys.forConfig(vertx, config(AppConfig.Profile.DEV, keysDir.toString())).await();
    assertThat(again.kids()).containsExactly(first.signingKid());
    String token = new TokenService(vertx, first, JWT).issue(UUID.randomUUID(), UUID.randomUUID(), Role.AGENT)
        .token();
    assertThat(new TokenService(vertx, again, JWT).verify(token).await().role()).isEqualTo(Role.AGENT);
  }

  @Test
  void devProfileWithoutAWritableFolderFallsBackToAThrowawayKey() throws Exception {
    Path blocked = dir.resolve("a-file");
    Files.writeString(blocked, "not a folder");
    assertThat(JwtKeys.devKeys(blocked.resolve("jwt-keys")).signingKid()).startsWith("dev-");
    assertThat(JwtKeys.DEV_DIR).isEqualTo(".dev/jwt-keys");
  }

  @Test
  void badKeyFilesAreNamedInTheError() throws Exception {
    KeyPair jdk = PemKeys.generate(); // the JDK does not embed the public point in PKCS#8
    Files.writeString(dir.resolve("k1.pem"), PemKeys.pem("PRIVATE KEY", jdk.getPrivate().getEncoded()));
    assertThatThrownBy(() -> JwtKeys.load(dir)).hasMessageContaining("k1.pem").hasMessageContaining("openssl pkey");

    Files.writeString(dir.resolve("k1.pem"), PemKeys.pem("PRIVATE KEY", jdk.getPrivate().getEncoded())
        + PemKeys.pem("PUBLIC KEY", PemKeys.generate().getPublic().getEncoded()));
    assertThatThrownBy(() -> JwtKeys.load(dir)).hasMessageContaining("does not belong");

    Files.writeString(dir.resolve("k1.pem"), "hello");
    assertThatThrownBy(() -> JwtKeys.load(dir)).hasMessageContaining("no PEM");

    Files.delete(dir.resolve("k1.pem"));
    write("bad kid!.pem", PemKeys.generate());
    assertThatThrownBy(() -> JwtKeys.load(dir)).hasMessageContaining("<kid>.pem");
  }

  private void write(String name, KeyPair pair) throws Exception {
    Files.writeString(dir.resolve(name), PemKeys.write(pair));
  }

  private JwtKeys keysOf(String kid, KeyPair pair) throws Exception {
    Path other = Files.createTempDirectory(dir, "other");
    Files.writeString(other.resolve(kid + ".pem"), PemKeys.write(pair));
    return JwtKeys.load(other);
  }

  private static void assertInvalid(TokenService tokens, String token) {
    assertThatThrownBy(() -> tokens.verify(token).await())
        .isInstanceOf(ApiException.Unauthorized.class)
        .extracting(e -> ((ApiException) e).code()).isEqualTo("auth.invalid_token");
  }

  private static AppConfig config(AppConfig.Profile profile, String keysDir) {
    return ConfigLoader.load(Map.of("VQ_CONFIG", "conf/virtual-queue.json", "VQ_PROFILE",
        profile.name().toLowerCase(Locale.ROOT), "VQ_JWT_KEYS_DIR", keysDir));
  }

  private static JsonObject header(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0])));
  }

  private static JsonObject payload(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1])));
  }
}
