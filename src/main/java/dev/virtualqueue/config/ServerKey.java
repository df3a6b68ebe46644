package dev.virtualqueue.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own secret ({@code secrets.keyFile}, {@code VQ_SECRETS_KEY_FILE}): 32 or more random
 * bytes, base64, in a file outside the database. Each use gets its own key derived from it
 * ({@link #derive}), so a key for signing mail links never opens sealed webhook secrets. When the
 * setting is empty the file is {@code secrets.key} in the JWT keys folder ({@code .dev/secrets.key}
 * in the dev profile), made on first start with mode 0600 (with a warning outside dev: every server
 * of a deployment needs the same file, like the JWT keys). Losing it makes sealed webhook secrets
 * unreadable (rotate them) and old stop links invalid. File I/O: call from a worker thread.
 */
public final class ServerKey {
  private static final Logger LOG = LoggerFactory.getLogger(ServerKey.class);
  public static final String FILE_NAME = "secrets.key";
  private static final int BYTES = 32;
  private final byte[] master;

  private ServerKey(byte[] master) {
    this.master = master;
  }

  /** A key from raw bytes (tests). */
  public static ServerKey of(byte[] master) {
    if (master.length < BYTES) {
      throw new IllegalArgumentException("the server key has at least 32 bytes");
    }
    return new ServerKey(master.clone());
  }

  /** The file the config names (or its default), read, or made if missing. */
  public static ServerKey load(AppConfig config) throws IOException {
    Path file = file(config);
    if (!config.dev() && !Files.exists(file)) {
      LOG.warn("no server key at {}: making one; copy it to every server of this deployment (webhook secrets"
          + " sealed by one server open only with the same key)", file.toAbsolutePath());
    }
    return loadOrCreate(file);
  }

  /**
   * The file the config names (or its default), which must exist: an operator command never makes
   * one, since what it seals must open on the servers (their key file, copied where the command runs).
   */
  public static ServerKey loadExisting(AppConfig config) throws IOException {
    Path file = file(config);
    if (!Files.exists(file)) {
      throw new IOException("no server key at " + file.toAbsolutePath() + ": run this where the servers' key file is"
          + " (VQ_SECRETS_KEY_FILE, or secrets.key in VQ_JWT_KEYS_DIR), or start a server once first");
    }
    return loadOrCreate(file);
  }

  static Path file(AppConfig config) {
    if (!config.secrets().keyFile().isBlank()) {
      return Path.of(config.secrets().keyFile());
    }
    return config.dev() || config.jwt().keysDir().isBlank() ? Path.of(".dev", FILE_NAME)
        : Path.of(config.jwt().keysDir(), FILE_NAME);
  }

  static ServerKey loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      byte[] fresh = new byte[BYTES];
      new SecureRandom().nextBytes(fresh);
      try {
        create(file, Base64.getEncoder().encodeToString(fresh) + "\n");
      } catch (FileAlreadyExistsException e) {
        // another process made it at the same moment: read theirs
      }
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " is not base64 (make one with: head -c 32 /dev/urandom | base64)", e);
    }
    if (raw.length < BYTES) {
      throw new IOException(file + " holds " + raw.length + " bytes; the server key needs at least 32");
    }
    return new ServerKey(raw);
  }

  private static void create(Path file, String content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".secrets", ".tmp");
    try {
      if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      }
      Files.writeString(tmp, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
      Files.createLink(file, tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A 32-byte key for one {@code purpose} (e.g. "webhook-seal", "mail-links"): HMAC-SHA256 of it. */
  public byte[] derive(String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(master, "HmacSHA256"));
      return mac.doFinal(("virtual-queue/" + purpose).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }
}
