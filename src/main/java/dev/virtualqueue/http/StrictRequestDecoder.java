package dev.virtualqueue.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vert.x's HTTP/1 request decoder with two things Netty leaves open:
 *
 * <ul>
 *   <li><b>Ambiguous framing</b> (RFC 9112 §6.1, §6.3): Netty serves a request with both
 *   {@code Content-Length} and {@code Transfer-Encoding} by dropping the length, so behind a proxy
 *   that trusts the length the rest of the body becomes a second, smuggled request. Such a request,
 *   or one whose transfer coding is anything but a single {@code chunked}, is made an invalid
 *   message: the decoder then discards every later byte of the connection, and the server's invalid
 *   request handler answers 400 and closes it.</li>
 *   <li><b>Slow request heads</b>: the idle timeout restarts with every byte, so a client dripping
 *   one byte at a time holds a connection for ever. Here a head must be complete within
 *   {@code headTimeoutMillis} of the connection's start, or of the first byte of a later request on
 *   it; otherwise the connection is closed. The clock does not run while a body is read, between
 *   requests, or once the connection became a WebSocket (the decoder is gone then).</li>
 * </ul>
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(StrictRequestDecoder.class);

  /** Why a request's framing was refused; the invalid request handler turns it into a problem. */
  static final class FramingException extends IllegalArgumentException {
    private final String code;

    FramingException(String code, String detail) {
      super(detail);
      this.code = code;
    }

    String code() {
      return code;
    }
  }

  private final long headTimeoutMillis;
  private ScheduledFuture<?> headDeadline;
  /** Between a request head and the end of its body: the head clock does not run. */
  private boolean inMessage;

  StrictRequestDecoder(HttpServerOptions options, long headTimeoutMillis) {
    super(options);
    this.headTimeoutMillis = headTimeoutMillis;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    super.handlerAdded(ctx);
    startHeadClock(ctx); // a new connection owes us its first request head
  }

  /**
   * Starts the head clock only when bytes of a head came in and no complete head came out, so a
   * request whose head arrives in one read (nearly all) schedules no timer at all.
   */
  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    boolean headBytes = !inMessage && in.isReadable();
    boolean headDone = false;
    int before = out.size();
    super.decode(ctx, in, out);
    for (int i = before; i < out.size(); i++) {
      Object decoded = out.get(i);
      if (decoded instanceof HttpRequest) {
        stopHeadClock();
        headDone = true;
        inMessage = true;
      }
      if (decoded instanceof LastHttpContent) {
        inMessage = false;
      }
    }
    if (headBytes && !headDone) {
      startHeadClock(ctx);
    }
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage msg) {
    HttpHeaders headers = msg.headers();
    if (msg instanceof HttpRequest && headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        throw new FramingException("http.ambiguous_length",
            "A request may carry Content-Length or Transfer-Encoding, not both.");
      }
      List<String> codings = List.of(String.join(",", headers.getAll(HttpHeaderNames.TRANSFER_ENCODING))
          .strip().split("\\s*,\\s*"));
      if (codings.size() != 1 || !codings.get(0).equalsIgnoreCase("chunked")) {
        throw new FramingException("http.unsupported_transfer_encoding",
            "The only transfer coding accepted is a single 'chunked'.");
      }
    }
    return super.isContentAlwaysEmpty(msg);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    stopHeadClock(); // removed on a WebSocket upgrade, or the channel is going away
    super.handlerRemoved0(ctx);
  }

  private void startHeadClock(ChannelHandlerContext ctx) {
    if (headDeadline == null) {
      headDeadline = ctx.executor().schedule(() -> {
        LOG.debug("closing {}: no complete request head within {} ms", ctx.channel().remoteAddress(),
            headTimeoutMillis);
        ctx.channel().close();
      }, headTimeoutMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void stopHeadClock() {
    if (headDeadline != null) {
      headDeadline.cancel(false);
      headDeadline = null;
    }
  }
}
