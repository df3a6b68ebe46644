package dev.virtualqueue.admission;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The verifiable order of a pre-queue. Every ticket id (its canonical lowercase text with dashes)
 * gets the rank {@code SHA-256(seed || id)}, the seed's 32 bytes followed by the id's UTF-8 bytes;
 * tickets go in by rank, lowest first (comparing the digests as unsigned bytes, which is the order
 * of their hex strings). The seed's SHA-256 is published when the pre-queue opens and the seed
 * itself at the draw, so anyone holding the public list of ids can recompute the order, and nobody
 * (the operator included, who cannot pick a seed after seeing the list) could have steered it.
 */
public final class Lottery {
  private Lottery() {
  }

  /** The published commitment to a seed: hex SHA-256 of its bytes. */
  public static String commitment(byte[] seed) {
    return HexFormat.of().formatHex(sha256().digest(seed));
  }

  /** The rank of ticket {@code id} under {@code seed}, as lowercase hex. */
  public static String rank(byte[] seed, UUID id) {
    MessageDigest d = sha256();
    d.update(seed);
    d.update(id.toString().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d.digest());
  }

  /** The ids in the drawn order. */
  public static List<UUID> order(byte[] seed, List<UUID> ids) {
    List<UUID> out = new ArrayList<>(ids);
    out.sort(Comparator.comparing((UUID id) -> rank(seed, id)).thenComparing(UUID::toString));
    return out;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
  }
}
