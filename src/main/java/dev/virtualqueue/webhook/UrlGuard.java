package dev.virtualqueue.webhook;

import dev.virtualqueue.webhook.UrlVerdict.Allowed;
import dev.virtualqueue.webhook.UrlVerdict.Refused;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The SSRF guard of outbound webhooks. A URL is parsed strictly (http or https, no userinfo, a
 * port in 1..65535, an ASCII host), its host resolved once, and every address checked by
 * {@link AddressRules}; the result pins one address, and the delivery connects to that address
 * only ({@link Allowed#requestOptions()}), so DNS cannot point elsewhere between check and connect.
 * Numeric hosts are decoded here the way glibc would ({@link InetAton}), never handed to DNS.
 *
 * <p>{@link #check(String)} blocks on DNS: call it on a worker thread, or use
 * {@link #check(Vertx, String)}, which runs it with {@code executeBlocking}. {@link #syntax} needs no
 * DNS and is safe on an event loop (e.g. to validate a registration before a worker resolves it).
 */
public final class UrlGuard {
  public static final String INVALID = "webhook.url_invalid";
  public static final String FORBIDDEN = "webhook.url_forbidden";
  public static final String UNRESOLVABLE = "webhook.url_unresolvable";
  public static final int MAX_LENGTH = 2048;
  private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]{2,45}");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  /** Resolves a host name to its addresses; blocking (the system resolver, or a test's fake). */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver (getaddrinfo). Only ever given names, never numeric hosts. */
    Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
  }

  private final Resolver resolver;
  private final boolean allowPrivateNetworks;

  /** {@code allowPrivateNetworks} (VQ_WEBHOOK_ALLOW_PRIVATE_NETWORKS) lifts the private-range check. */
  public UrlGuard(Resolver resolver, boolean allowPrivateNetworks) {
    this.resolver = resolver;
    this.allowPrivateNetworks = allowPrivateNetworks;
  }

  /** {@link #check(String)} on a worker thread. */
  public Future<UrlVerdict> check(Vertx vertx, String url) {
    return vertx.executeBlocking(() -> check(url), false);
  }

  /** Parses, resolves once (blocking) and checks {@code url}. */
  public UrlVerdict check(String url) {
    try {
      Parsed p = parse(url);
      List<InetAddress> addresses = p.literal() != null ? List.of(p.literal()) : resolve(p.url().host());
      for (InetAddress a : addresses) {
        Optional<String> why = AddressRules.refusal(a, allowPrivateNetworks);
        if (why.isPresent()) {
          return new Refused(FORBIDDEN, p.url().host() + " is " + why.get() + " (" + a.getHostAddress() + ").");
        }
      }
      return new Allowed(p.url(), addresses.get(0));
    } catch (Bad b) {
      return b.refused;
    }
  }

  /** The syntax check alone, no DNS: empty when {@code url} is well formed. */
  public static Optional<Refused> syntax(String url) {
    try {
      parse(url);
      return Optional.empty();
    } catch (Bad b) {
      return Optional.of(b.refused);
    }
  }

  private List<InetAddress> resolve(String host) {
    try {
      List<InetAddress> all = resolver.resolve(host);
      if (all == null || all.isEmpty()) {
        throw bad(UNRESOLVABLE, host + " has no address.");
      }
      return all;
    } catch (UnknownHostException e) {
      throw bad(UNRESOLVABLE, host + " does not resolve.");
    }
  }

  private static Parsed parse(String url) {
    if (url == null || url.isEmpty() || url.length() > MAX_LENGTH) {
      throw bad(INVALID, "The URL must have 1 to " + MAX_LENGTH + " characters.");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw bad(INVALID, "The URL is malformed.");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw bad(INVALID, "The URL must use http or https.");
    }
    String authority = uri.getRawAuthority();
    if (uri.isOpaque() || authority == null || authority.isEmpty()) {
      throw bad(INVALID, "The URL has no host.");
    }
    if (authority.indexOf('@') >= 0) {
      throw bad(INVALID, "The URL must not carry a user name or password.");
    }
    return hostAndPort(scheme, authority, target(uri));
  }

  private static Parsed hostAndPort(String scheme, String authority, String target) {
    boolean bracketed = authority.startsWith("[");
    int close = bracketed ? authority.indexOf(']') : -1;
    if (bracketed && close < 0) {
      throw bad(INVALID, "The URL's IPv6 address is malformed.");
    }
    int colon = bracketed ? (authority.length() > close + 1 ? close + 1 : -1) : authority.lastIndexOf(':');
    if (colon >= 0 && authority.charAt(colon) != ':') {
      throw bad(INVALID, "The URL's host is malformed.");
    }
    String host = bracketed ? authority.substring(1, close) : colon < 0 ? authority : authority.substring(0, colon);
    int port = colon < 0 ? WebhookUrl.defaultPort(scheme) : port(authority.substring(colon + 1));
    host = host.toLowerCase(Locale.ROOT);
    if (bracketed) {
      return new Parsed(new WebhookUrl(scheme, host, port, target), ipv6(host));
    }
    return hostName(scheme, host, port, target);
  }

  private static Parsed hostName(String scheme, String raw, int port, String target) {
    String host = raw.endsWith(".") ? raw.substring(0, raw.length() - 1) : raw;
    if (host.isEmpty() || host.length() > 253 || !host.chars().allMatch(c -> c < 0x80)) {
      throw bad(INVALID, "The URL's host must be an ASCII name (use the xn-- form) or an address.");
    }
    if (InetAton.looksNumeric(host)) {
      OptionalLong v4 = InetAton.parse(host);
      if (v4.isEmpty()) {
        throw bad(INVALID, "The URL's host is not a valid IPv4 address.");
      }
      InetAddress literal = v4Address(v4.getAsLong());
      return new Parsed(new WebhookUrl(scheme, literal.getHostAddress(), port, target), literal);
    }
    for (String label : host.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        throw bad(INVALID, "The URL's host is not a valid name.");
      }
    }
    if (host.equals("localhost") || host.endsWith(".localhost")) {
      throw bad(FORBIDDEN, host + " is a loopback name.");
    }
    return new Parsed(new WebhookUrl(scheme, host, port, target), null);
  }

  private static int port(String digits) {
    if (!PORT.matcher(digits).matches() || Integer.parseInt(digits) < 1 || Integer.parseInt(digits) > 65535) {
      throw bad(INVALID, "The URL's port must be between 1 and 65535.");
    }
    return Integer.parseInt(digits);
  }

  private static InetAddress ipv6(String literal) {
    if (!IPV6.matcher(literal).matches() || literal.indexOf(':') < 0) {
      throw bad(INVALID, "The URL's IPv6 address is malformed (zone ids are not accepted).");
    }
    try {
      return InetAddress.getByName(literal); // a literal with ':' is parsed, never looked up
    } catch (UnknownHostException e) {
      throw bad(INVALID, "The URL's IPv6 address is malformed.");
    }
  }

  private static InetAddress v4Address(long v) {
    byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String target(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  private static Bad bad(String code, String reason) {
    return new Bad(new Refused(code, reason));
  }

  private record Parsed(WebhookUrl url, InetAddress literal) {
  }

  /** Internal control flow: the first refusal ends the parse. */
  private static final class Bad extends RuntimeException {
    private final transient Refused refused;

    Bad(Refused refused) {
      super(refused.reason(), null, false, false);
      this.refused = refused;
    }
  }
}
