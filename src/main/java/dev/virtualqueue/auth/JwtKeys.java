package dev.virtualqueue.auth;

import dev.virtualqueue.config.AppConfig;
import dev.virtualqueue.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JWT keys: ES256 (EC P-256), each with a {@code kid}. One key signs; every key verifies.
 *
 * <p>Layout of {@code jwt.keysDir} ({@code VQ_JWT_KEYS_DIR}):
 * <ul>
 *   <li>each file {@code <kid>.pem} is one key; its kid is the file name without {@code .pem}
 *       (letters, digits, {@code . _ -}, at most 64), e.g. {@code 2025-06.pem};</li>
 *   <li>a file with a PKCS#8 {@code PRIVATE KEY} block can sign; its public key is taken from a
 *       {@code PUBLIC KEY} block in the same file or else from the PKCS#8 key itself
 *       ({@code openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256} writes it there);</li>
 *   <li>a file with only a {@code PUBLIC KEY} block verifies only (a retired key);</li>
 *   <li>the lexicographically last kid that has a private key signs new tokens; all keys verify
 *       tokens, so rotation is: add a newer key, restart, delete the old file after the token TTL;</li>
 *   <li>other files are ignored; a malformed {@code .pem} file stops start-up.</li>
 * </ul>
 * In the dev profile the folder defaults to {@value #DEV_DIR}; when it holds no key, one is generated
 * and saved there, so restarts keep staff signed in. {@code keys generate} writes keys the same way.
 */
public final class JwtKeys {
  public static final String ALGORITHM = "ES256";
  private static final Logger LOG = LoggerFactory.getLogger(JwtKeys.class);
  private static final Pattern KID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String ENV = ConfigLoader.envName("jwt.keysDir");
  /** Where the dev profile keeps its key when {@code VQ_JWT_KEYS_DIR} is unset (relative to the working folder, git-ignored). */
  public static final String DEV_DIR = ".dev/jwt-keys";

  /** One key; {@code privateKey} is null for a verify-only key. */
  public record Key(String kid, ECPublicKey publicKey, ECPrivateKey privateKey) {
  }

  private final List<Key> keys;
  private final Key signer;

  private JwtKeys(List<Key> keys) {
    List<Key> sorted = new ArrayList<>(keys);
    sorted.sort(Comparator.comparing(Key::kid));
    this.keys = List.copyOf(sorted);
    this.signer = sorted.stream().filter(k -> k.privateKey() != null).reduce((a, b) -> b)
        .orElseThrow(() -> new KeyException("no key with a private key to sign with"));
  }

  /** Loads the keys named by the config; blocking file reads run on a worker thread. */
  public static Future<JwtKeys> forConfig(Vertx vertx, AppConfig config) {
    String dir = config.jwt().keysDir();
    if (dir.isBlank() && !config.dev()) {
      return Future.failedFuture(new KeyException(ENV + " is required outside the dev profile"));
    }
    return vertx.executeBlocking(() -> config.dev() ? devKeys(Path.of(dir.isBlank() ? DEV_DIR : dir))
        : load(Path.of(dir)));
  }

  /**
   * Dev profile: the keys in {@code dir}, generating and saving one there first when it has none,
   * so a restart keeps every staff session. A folder that cannot be written falls back to a
   * throwaway key (tokens then die with the process).
   */
  static JwtKeys devKeys(Path dir) {
    if (hasKeyFiles(dir)) {
      return load(dir);
    }
    try {
      Path file = KeyFiles.generate(dir, null);
      LOG.info("dev profile: generated JWT key {} (kept for later runs; delete it to sign everyone out)", file);
      return load(dir);
    } catch (KeyException e) {
      if (hasKeyFiles(dir)) {
        return load(dir); // another process made the key at the same moment
      }
      return throwaway(dir, e);
    } catch (IOException e) {
      return throwaway(dir, e);
    }
  }

  private static JwtKeys throwaway(Path dir, Exception e) {
    LOG.warn("dev profile: cannot keep a JWT key in {} ({}); using a throwaway key, tokens die with this process",
        dir.toAbsolutePath(), e.getMessage());
    return generate();
  }

  /** A single fresh in-memory key pair (tests, and the dev fallback). */
  public static JwtKeys generate() {
    KeyPair pair = PemKeys.generate();
    String kid = "dev-" + HexFormat.of().formatHex(pair.getPublic().getEncoded(), 27, 31);
    return new JwtKeys(List.of(new Key(kid, (ECPublicKey) pair.getPublic(), (ECPrivateKey) pair.getPrivate())));
  }

  /** Reads every {@code <kid>.pem} in {@code dir} (blocking); throws {@link KeyException} with a clear message. */
  public static JwtKeys load(Path dir) {
    if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
      throw new KeyException(ENV + "=" + dir + " is not a readable directory");
    }
    List<Key> keys = new ArrayList<>();
    for (Path file : pemFiles(dir)) {
      keys.add(read(file));
    }
    if (keys.isEmpty()) {
      throw new KeyException(ENV + "=" + dir + " holds no JWT key: add a <kid>.pem file with an EC P-256"
          + " PKCS#8 private key (see docs/auth.md)");
    }
    if (keys.stream().allMatch(k -> k.privateKey() == null)) {
      throw new KeyException(ENV + "=" + dir + " holds only public keys; the newest key must include its"
          + " PRIVATE KEY block to sign tokens");
    }
    return new JwtKeys(keys);
  }

  private static Key read(Path file) {
    String name = file.getFileName().toString();
    String kid = name.substring(0, name.length() - ".pem".length());
    if (!KID.matcher(kid).matches()) {
      throw new KeyException("JWT key file " + file + ": the name must be <kid>.pem with a kid of letters,"
          + " digits, '.', '_' or '-' (at most 64)");
    }
    try {
      PemKeys.Parsed parsed = PemKeys.parse(Files.readString(file, StandardCharsets.US_ASCII));
      return new Key(kid, parsed.publicKey(), parsed.privateKey());
    } catch (IOException e) {
      throw new KeyException("JWT key file " + file + " cannot be read: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new KeyException("JWT key file " + file + " " + e.getMessage());
    }
  }

  static boolean hasKeyFiles(Path dir) {
    return Files.isDirectory(dir) && !pemFiles(dir).isEmpty();
  }

  private static List<Path> pemFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".pem") && Files.isRegularFile(f)).sorted()
          .toList();
    } catch (IOException e) {
      throw new KeyException(ENV + "=" + dir + " cannot be listed: " + e.getMessage());
    }
  }

  /** The kid new tokens are signed with. */
  public String signingKid() {
    return signer.kid();
  }

  /** Every kid, in order. */
  public List<String> kids() {
    return keys.stream().map(Key::kid).toList();
  }

  /** JWKs for vertx-auth-jwt: every public key, and the private part of the signing key only. */
  List<JsonObject> authJwks() {
    return keys.stream().map(k -> jwk(k, k == signer)).toList();
  }

  /** The public JWK set ({@code {"keys":[...]}}), for a JWKS endpoint. */
  public JsonObject publicJwks() {
    return new JsonObject().put("keys", new JsonArray(keys.stream().map(k -> jwk(k, false)).toList()));
  }

  private static JsonObject jwk(Key k, boolean withPrivate) {
    JsonObject jwk = new JsonObject().put("kty", "EC").put("crv", "P-256").put("kid", k.kid())
        .put("alg", ALGORITHM).put("use", "sig")
        .put("x", b64(k.publicKey().getW().getAffineX()))
        .put("y", b64(k.publicKey().getW().getAffineY()));
    return withPrivate ? jwk.put("d", b64(k.privateKey().getS())) : jwk;
  }

  /** A coordinate as the 32 unsigned big-endian bytes JWK wants, base64url. */
  private static String b64(BigInteger n) {
    byte[] raw = n.toByteArray();
    byte[] out = new byte[32];
    int len = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - len, out, 32 - len, len);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
  }

  /** Unusable key material: one line an operator can act on. */
  public static final class KeyException extends RuntimeException {
    public KeyException(String message) {
      super(message, null, false, false);
    }
  }
}
