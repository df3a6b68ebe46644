package dev.virtualqueue.server;

import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Tells browsers to keep to HTTPS ({@code Strict-Transport-Security}) on every answer that reached
 * the client over TLS: TLS terminated in this server, or a trusted proxy ({@code VQ_HTTP_TRUSTED_PROXIES})
 * saying {@code X-Forwarded-Proto: https}. The header of any other peer is its own say and is ignored,
 * and a plain-HTTP answer never carries HSTS (browsers ignore it there, and it would lock out a site
 * still served over HTTP). No {@code includeSubDomains}: the server cannot know its sibling hosts.
 */
final class SecureTransport implements Handler<RoutingContext> {
  static final String HSTS = "max-age=31536000";
  private final Predicate<String> trustedProxy;

  SecureTransport(Predicate<String> trustedProxy) {
    this.trustedProxy = trustedProxy;
  }

  @Override
  public void handle(RoutingContext ctx) {
    SocketAddress peer = ctx.request().remoteAddress();
    if (overTls(ctx.request().isSSL(), peer == null ? null : peer.hostAddress(),
        ctx.request().getHeader("X-Forwarded-Proto"), trustedProxy)) {
      ctx.response().putHeader("Strict-Transport-Security", HSTS);
    }
    ctx.next();
  }

  /** Whether the client's leg was TLS; of a list of protocols (proxies in a row) the first is the client's. */
  static boolean overTls(boolean ssl, String peer, String forwardedProto, Predicate<String> trustedProxy) {
    if (ssl) {
      return true;
    }
    if (forwardedProto == null || peer == null || !trustedProxy.test(peer)) {
      return false;
    }
    return forwardedProto.split(",")[0].trim().toLowerCase(Locale.ROOT).equals("https");
  }
}
