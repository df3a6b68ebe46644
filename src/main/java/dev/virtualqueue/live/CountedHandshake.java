package dev.virtualqueue.live;

import dev.virtualqueue.limit.RateLimits;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A handshake that holds one of its address's open-socket places: given back when the upgrade is
 * refused or fails, or when the accepted socket ends.
 */
final class CountedHandshake implements ServerWebSocketHandshake {
  private final ServerWebSocketHandshake hs;
  private final RateLimits limits;
  private final String client;
  private final AtomicBoolean released = new AtomicBoolean();

  CountedHandshake(ServerWebSocketHandshake hs, RateLimits limits, String client) {
    this.hs = hs;
    this.limits = limits;
    this.client = client;
  }

  private void release() {
    if (released.compareAndSet(false, true)) {
      limits.closeSocket(client);
    }
  }

  @Override
  public Future<ServerWebSocket> accept() {
    return hs.accept().onComplete(ar -> {
      if (ar.succeeded()) {
        ar.result().endHandler(v -> release());
      } else {
        release();
      }
    });
  }

  @Override
  public Future<Void> reject(int status) {
    release();
    return hs.reject(status);
  }

  @Override
  public MultiMap headers() {
    return hs.headers();
  }

  @Override
  public String scheme() {
    return hs.scheme();
  }

  @Override
  public HostAndPort authority() {
    return hs.authority();
  }

  @Override
  public String uri() {
    return hs.uri();
  }

  @Override
  public String path() {
    return hs.path();
  }

  @Override
  public String query() {
    return hs.query();
  }

  @Override
  public SocketAddress remoteAddress() {
    return hs.remoteAddress();
  }

  @Override
  public SocketAddress localAddress() {
    return hs.localAddress();
  }

  @Override
  public boolean isSsl() {
    return hs.isSsl();
  }

  @Override
  public SSLSession sslSession() {
    return hs.sslSession();
  }

  @Override
  public List<Certificate> peerCertificates() throws SSLPeerUnverifiedException {
    return hs.peerCertificates();
  }
}
