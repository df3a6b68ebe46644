package dev.virtualqueue.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Writes new JWT key files ({@code <kid>.pem}, PKCS#8 private key and its public key) into a keys
 * folder, for {@code keys generate} and the dev profile. The folder gets mode 0700 and the file
 * 0600 where the file system has POSIX permissions; a file appears whole or not at all, and an
 * existing one is never replaced.
 */
final class KeyFiles {
  static final Pattern KID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  /** Default kids sort by creation time, after kids such as {@code 2025-06}, so a new key signs. */
  private static final DateTimeFormatter DEFAULT_KID = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'");

  private KeyFiles() {
  }

  /** A kid for a key made now. */
  static String defaultKid() {
    return ZonedDateTime.now(ZoneOffset.UTC).format(DEFAULT_KID);
  }

  /**
   * Generates an EC P-256 key and writes it as {@code dir/<kid>.pem} ({@code kid} null: now's default).
   * Never overwrites a key; throws {@link JwtKeys.KeyException} for a bad kid or an existing file.
   */
  static Path generate(Path dir, String kid) throws IOException {
    String name = kid == null ? defaultKid() : kid;
    if (!KID.matcher(name).matches()) {
      throw new JwtKeys.KeyException("kid '" + name + "' must be letters, digits, '.', '_' or '-' (at most 64)");
    }
    createPrivateDir(dir);
    Path target = dir.resolve(name + ".pem");
    if (Files.exists(target)) {
      throw new JwtKeys.KeyException(target + " exists already; keys are never overwritten (pick another --kid)");
    }
    Path tmp = Files.createTempFile(dir, ".new-", ".tmp");
    try {
      restrict(tmp, "rw-------");
      Files.writeString(tmp, PemKeys.write(PemKeys.generate()), StandardCharsets.US_ASCII);
      // a hard link appears atomically and fails if the name exists: a key another process made at
      // the same moment is kept, never clobbered (a rename would silently replace it)
      Files.createLink(target, tmp);
    } catch (FileAlreadyExistsException e) {
      throw new JwtKeys.KeyException(target + " exists already; keys are never overwritten (pick another --kid)");
    } finally {
      Files.deleteIfExists(tmp);
    }
    return target;
  }

  private static void createPrivateDir(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      restrict(dir, "rwx------");
    }
  }

  private static void restrict(Path p, String perms) throws IOException {
    if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }
  }
}
