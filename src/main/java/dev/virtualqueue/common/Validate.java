package dev.virtualqueue.common;

import java.util.regex.Pattern;

/** Field checks shared by request records; each failure is a 400 naming the field. */
public final class Validate {
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cs}\\x{FFFE}\\x{FFFF}]");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,190}\\.[^@\\s]{2,63}$");

  private Validate() {
  }

  /** Trimmed text of at most {@code max} characters with no control characters (NUL included). */
  public static String text(String field, String value, int max, boolean required) {
    if (value == null || value.isBlank()) {
      if (required) {
        throw new ApiException.BadRequest("request.missing_field", "Field '" + field + "' is required.");
      }
      return null;
    }
    String v = value.strip();
    if (v.length() > max) {
      throw new ApiException.BadRequest("request.too_long", "Field '" + field + "' is longer than " + max + ".");
    }
    if (CONTROL.matcher(v).find()) {
      throw new ApiException.BadRequest("request.invalid_characters",
          "Field '" + field + "' contains control characters.");
    }
    return v;
  }

  public static String matches(String field, String value, Pattern pattern, String shape, boolean required) {
    String v = text(field, value, 254, required);
    if (v != null && !pattern.matcher(v).matches()) {
      throw new ApiException.BadRequest("request.invalid_format", "Field '" + field + "' must be " + shape + ".");
    }
    return v;
  }

  public static String email(String field, String value) {
    return matches(field, value, EMAIL, "an email address", false);
  }

  public static int range(String field, Integer value, int min, int max, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (value < min || value > max) {
      throw new ApiException.BadRequest("request.out_of_range",
          "Field '" + field + "' must be between " + min + " and " + max + ".");
    }
    return value;
  }

  public static <E extends Enum<E>> String oneOf(String field, String value, String fallback, String... allowed) {
    if (value == null) {
      return fallback;
    }
    for (String a : allowed) {
      if (a.equals(value)) {
        return value;
      }
    }
    throw new ApiException.BadRequest("request.invalid_value",
        "Field '" + field + "' must be one of " + String.join(", ", allowed) + ".");
  }
}
