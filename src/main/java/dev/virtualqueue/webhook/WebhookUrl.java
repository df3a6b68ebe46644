package dev.virtualqueue.webhook;

/**
 * A webhook URL taken apart: lower-case scheme and host (ASCII, no trailing dot, an IPv6 literal
 * without brackets), the port (explicit or the scheme's default), and the request target (raw path
 * and query; a fragment is never sent).
 */
public record WebhookUrl(String scheme, String host, int port, String target) {

  public boolean tls() {
    return "https".equals(scheme);
  }

  /** The Host header value: the host as registered, with the port when it is not the default. */
  public String hostHeader() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return port == defaultPort(scheme) ? h : h + ":" + port;
  }

  static int defaultPort(String scheme) {
    return "https".equals(scheme) ? 443 : 80;
  }
}
