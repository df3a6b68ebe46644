package dev.virtualqueue.http;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;

/** RFC 9457 problem details with our stable machine {@code code}. */
public record Problem(String type, String title, int status, String detail, String code,
                      String instance, @JsonIgnore Map<String, Object> extra) {

  public static final String CONTENT_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://virtual-queue.dev/problems/";

  public static Problem of(int status, String title, String code, String detail, String instance,
                           Map<String, Object> extra) {
    return new Problem(TYPE_BASE + code, title, status, detail, code, instance, extra);
  }

  @JsonAnyGetter
  public Map<String, Object> extensions() {
    return extra == null ? Map.of() : extra;
  }
}
