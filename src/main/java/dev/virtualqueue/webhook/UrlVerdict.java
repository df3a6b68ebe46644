package dev.virtualqueue.webhook;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** What {@link UrlGuard} decided about a webhook URL. */
public sealed interface UrlVerdict {

  /**
   * The URL may be used, and only by connecting to {@code address}: the one address its host
   * resolved to when it was checked.
   */
  record Allowed(WebhookUrl url, InetAddress address) implements UrlVerdict {
    /**
     * A POST that connects to the pinned address and never resolves the host again, so a DNS
     * answer that changes between the check and the connect (rebinding) changes nothing.
     * {@code setServer} is the socket address Vert.x connects to; {@code setHost}/{@code setPort}
     * give the Host header and, over TLS, the SNI name and the name the certificate is verified
     * against (an IPv6 literal in brackets, as the Host header needs). Redirects are not followed. Add the timeout, headers and body at the call site.
     */
    public RequestOptions requestOptions() {
      return new RequestOptions()
          .setMethod(HttpMethod.POST)
          .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, url.port())))
          .setHost(url.host().indexOf(':') >= 0 ? "[" + url.host() + "]" : url.host())
          .setPort(url.port())
          .setSsl(url.tls())
          .setURI(url.target())
          .setFollowRedirects(false);
    }
  }

  /** The URL is refused; {@code code} is stable (an API error code), {@code reason} is for people. */
  record Refused(String code, String reason) implements UrlVerdict {
  }
}
