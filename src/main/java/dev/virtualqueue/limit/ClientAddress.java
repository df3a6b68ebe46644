package dev.virtualqueue.limit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client address a limit counts: the socket peer, or, only when the peer is one of the
 * trusted proxies, the rightmost {@code X-Forwarded-For} hop that is not itself a trusted proxy
 * (the hops left of it are the client's own say, and could be forged).
 */
public final class ClientAddress {
  private final List<Cidr> trusted;

  private ClientAddress(List<Cidr> trusted) {
    this.trusted = trusted;
  }

  /** From a comma-separated CIDR list ({@code 10.0.0.0/8, 192.168.1.7, ::1/128}); bad entries throw. */
  public static ClientAddress of(List<String> cidrs) {
    List<Cidr> list = new ArrayList<>();
    for (String c : cidrs) {
      Cidr parsed = Cidr.parse(c.trim());
      if (parsed == null) {
        throw new IllegalArgumentException("not an address or CIDR: " + c);
      }
      list.add(parsed);
    }
    return new ClientAddress(List.copyOf(list));
  }

  /** The address to count for a request from {@code peer} carrying {@code forwardedFor} (may be null). */
  public String resolve(String peer, String forwardedFor) {
    if (peer == null) {
      return "unknown";
    }
    if (forwardedFor == null || !isTrusted(peer)) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    String client = peer;
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (literal(hop) == null) {
        return client; // garbage in the header: stop at the last hop we could trust
      }
      client = hop;
      if (!isTrusted(hop)) {
        return hop;
      }
    }
    return client;
  }

  /** Whether {@code peer} (an IP literal) is one of the trusted proxies, whose forwarding headers are believed. */
  public boolean trusts(String peer) {
    return peer != null && isTrusted(peer);
  }

  private boolean isTrusted(String address) {
    byte[] a = literal(address);
    return a != null && trusted.stream().anyMatch(c -> c.contains(a));
  }

  /** An IP literal's bytes, or null (never a DNS lookup: only hex digits, dots and colons pass). */
  static byte[] literal(String s) {
    if (s.isEmpty() || s.length() > 45 || !s.matches("[0-9a-fA-F:.]+") || !s.contains(".") && !s.contains(":")) {
      return null;
    }
    try {
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private record Cidr(byte[] network, int bits) {
    static Cidr parse(String s) {
      int slash = s.indexOf('/');
      byte[] net = literal(slash < 0 ? s : s.substring(0, slash));
      if (net == null) {
        return null;
      }
      try {
        int bits = slash < 0 ? net.length * 8 : Integer.parseInt(s.substring(slash + 1));
        return bits < 0 || bits > net.length * 8 ? null : new Cidr(net, bits);
      } catch (NumberFormatException e) {
        return null;
      }
    }

    boolean contains(byte[] a) {
      if (a.length != network.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
