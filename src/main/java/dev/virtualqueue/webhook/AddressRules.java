package dev.virtualqueue.webhook;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * Which addresses a webhook may be sent to: public unicast only. Private, loopback, link-local,
 * CGNAT, unique-local, documentation and other non-global ranges are refused unless private
 * networks are allowed; unspecified, multicast, broadcast/reserved and cloud metadata addresses
 * are refused always. IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are
 * judged by that address.
 */
final class AddressRules {
  private static final int[][] PRIVATE_V4 = {
      {0x0A000000, 8}, {0x64400000, 10}, {0x7F000000, 8}, {0xA9FE0000, 16}, {0xAC100000, 12},
      {0xC0000000, 24}, {0xC0000200, 24}, {0xC0586300, 24}, {0xC0A80000, 16}, {0xC6120000, 15},
      {0xC6336400, 24}, {0xCB007100, 24}};
  private static final int[][] NEVER_V4 = {{0x00000000, 8}, {0xE0000000, 4}, {0xF0000000, 4}};
  private static final int METADATA_V4 = 0xA9FEA9FE;
  private static final byte[] METADATA_V6 = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
      0x54};

  private AddressRules() {
  }

  /** Why {@code address} is refused, or empty when a webhook may go there. */
  static Optional<String> refusal(InetAddress address, boolean allowPrivateNetworks) {
    byte[] b = address.getAddress();
    return address instanceof Inet4Address ? v4(toInt(b, 0), allowPrivateNetworks) : v6(b, allowPrivateNetworks);
  }

  private static Optional<String> v4(int ip, boolean allowPrivate) {
    if (ip == METADATA_V4) {
      return Optional.of("a cloud metadata address");
    }
    if (in(ip, NEVER_V4)) {
      return Optional.of("an unspecified, multicast, broadcast or reserved address");
    }
    if (!allowPrivate && in(ip, PRIVATE_V4)) {
      return Optional.of("a loopback, private, link-local, CGNAT or special-purpose address");
    }
    return Optional.empty();
  }

  private static Optional<String> v6(byte[] b, boolean allowPrivate) {
    int first = toInt(b, 0);
    if (Arrays.equals(b, METADATA_V6)) {
      return Optional.of("a cloud metadata address");
    }
    if (embedsV4AtEnd(b)) {
      return isUnspecifiedOrLoopback(b) ? special(b, allowPrivate) : v4(toInt(b, 12), allowPrivate);
    }
    if ((first >>> 16) == 0x2002) {
      return v4(((first & 0xFFFF) << 16) | ((b[4] & 0xFF) << 8) | (b[5] & 0xFF), allowPrivate);
    }
    if ((b[0] & 0xFF) == 0xFF) {
      return Optional.of("a multicast address");
    }
    if (allowPrivate) {
      return Optional.empty();
    }
    boolean globalUnicast = (b[0] & 0xE0) == 0x20;
    boolean documentation = first == 0x20010DB8;
    boolean teredo = first == 0x20010000;
    boolean localNat64 = first == 0x0064FF9B && (toInt(b, 4) >>> 16) == 1;
    if (!globalUnicast || documentation || teredo || localNat64) {
      return Optional.of("a loopback, unique-local, link-local or non-global address");
    }
    return Optional.empty();
  }

  /** {@code ::a.b.c.d}, {@code ::ffff:a.b.c.d}, {@code ::ffff:0:a.b.c.d} and NAT64 {@code 64:ff9b::a.b.c.d}. */
  private static boolean embedsV4AtEnd(byte[] b) {
    int w0 = toInt(b, 0);
    int w1 = toInt(b, 4);
    int w2 = toInt(b, 8);
    return (w0 == 0 && w1 == 0 && (w2 == 0 || w2 == 0xFFFF || w2 == 0xFFFF0000))
        || (w0 == 0x0064FF9B && w1 == 0 && w2 == 0);
  }

  private static boolean isUnspecifiedOrLoopback(byte[] b) {
    return toInt(b, 0) == 0 && toInt(b, 4) == 0 && toInt(b, 8) == 0 && (toInt(b, 12) == 0 || toInt(b, 12) == 1);
  }

  private static Optional<String> special(byte[] b, boolean allowPrivate) {
    if (toInt(b, 12) == 0) {
      return Optional.of("the unspecified address");
    }
    return allowPrivate ? Optional.empty() : Optional.of("a loopback address");
  }

  private static boolean in(int ip, int[][] ranges) {
    for (int[] r : ranges) {
      int mask = -1 << (32 - r[1]);
      if ((ip & mask) == r[0]) {
        return true;
      }
    }
    return false;
  }

  private static int toInt(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
  }
}
