package dev.virtualqueue.common;

/**
 * A failure that carries its HTTP status and a stable machine code. The one failure handler
 * turns it into RFC 9457 problem+json; anything else becomes a 500.
 */
public abstract sealed class ApiException extends RuntimeException
    permits ApiException.BadRequest, ApiException.Unauthorized, ApiException.Forbidden,
    ApiException.NotFound, ApiException.MethodNotAllowed, ApiException.Conflict, ApiException.Unprocessable,
    ApiException.TooLarge, ApiException.UnsupportedMediaType, ApiException.TooManyRequests, ApiException.Unavailable {

  private final String code;

  protected ApiException(String code, String detail) {
    super(detail, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }

  public abstract int status();

  public abstract String title();

  public static final class BadRequest extends ApiException {
    public BadRequest(String code, String detail) { super(code, detail); }
    @Override public int status() { return 400; }
    @Override public String title() { return "Bad request"; }
  }

  public static final class Unauthorized extends ApiException {
    public Unauthorized(String code, String detail) { super(code, detail); }
    @Override public int status() { return 401; }
    @Override public String title() { return "Unauthorized"; }
  }

  public static final class Forbidden extends ApiException {
    public Forbidden(String code, String detail) { super(code, detail); }
    @Override public int status() { return 403; }
    @Override public String title() { return "Forbidden"; }
  }

  public static final class NotFound extends ApiException {
    public NotFound(String code, String detail) { super(code, detail); }
    @Override public int status() { return 404; }
    @Override public String title() { return "Not found"; }
  }

  /** A known resource that does not take this method; {@code allow} goes into the Allow header. */
  public static final class MethodNotAllowed extends ApiException {
    private final String allow;
    public MethodNotAllowed(String code, String detail, String allow) {
      super(code, detail);
      this.allow = allow;
    }
    public String allow() { return allow; }
    @Override public int status() { return 405; }
    @Override public String title() { return "Method not allowed"; }
  }

  public static final class Conflict extends ApiException {
    private final Object extension;
    public Conflict(String code, String detail) { this(code, detail, null); }
    /** A conflict whose problem body carries an extra member, e.g. the existing ticket. */
    public Conflict(String code, String detail, Object extension) {
      super(code, detail);
      this.extension = extension;
    }
    public Object extension() { return extension; }
    @Override public int status() { return 409; }
    @Override public String title() { return "Conflict"; }
  }

  public static final class Unprocessable extends ApiException {
    public Unprocessable(String code, String detail) { super(code, detail); }
    @Override public int status() { return 422; }
    @Override public String title() { return "Unprocessable request"; }
  }

  public static final class TooLarge extends ApiException {
    public TooLarge(String code, String detail) { super(code, detail); }
    @Override public int status() { return 413; }
    @Override public String title() { return "Payload too large"; }
  }

  public static final class UnsupportedMediaType extends ApiException {
    public UnsupportedMediaType(String code, String detail) { super(code, detail); }
    @Override public int status() { return 415; }
    @Override public String title() { return "Unsupported media type"; }
  }

  /** 429: the caller must wait {@code retryAfterSeconds} (sent as Retry-After). */
  public static final class TooManyRequests extends ApiException {
    private final int retryAfterSeconds;
    public TooManyRequests(String code, String detail, int retryAfterSeconds) {
      super(code, detail);
      this.retryAfterSeconds = retryAfterSeconds;
    }
    public int retryAfterSeconds() { return retryAfterSeconds; }
    @Override public int status() { return 429; }
    @Override public String title() { return "Too many requests"; }
  }

  public static final class Unavailable extends ApiException {
    private final int retryAfterSeconds;
    public Unavailable(String code, String detail, int retryAfterSeconds) {
      super(code, detail);
      this.retryAfterSeconds = retryAfterSeconds;
    }
    public int retryAfterSeconds() { return retryAfterSeconds; }
    @Override public int status() { return 503; }
    @Override public String title() { return "Service unavailable"; }
  }
}
