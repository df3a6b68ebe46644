package dev.virtualqueue.auth;

import dev.virtualqueue.common.ApiException;
import dev.virtualqueue.common.Validate;
import java.util.Locale;
import java.util.regex.Pattern;

/** Field checks of the auth feature; each failure is a 400 naming the field. */
final class AuthInput {
  static final Pattern TENANT_SLUG = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");

  private AuthInput() {
  }

  /** A required email address, lower-cased: accounts are matched case-insensitively. */
  static String email(String field, String value) {
    Validate.text(field, value, 254, true);
    return Validate.email(field, value).toLowerCase(Locale.ROOT);
  }

  static String tenantSlug(String field, String value) {
    return Validate.matches(field, value, TENANT_SLUG,
        "2 to 63 lowercase letters, digits and dashes, starting with a letter or digit", true);
  }

  /** A required role, one of {@code allowed} (wire names). */
  static Role role(String field, String value, String... allowed) {
    if (value == null) {
      throw new ApiException.BadRequest("request.missing_field", "Field '" + field + "' is required.");
    }
    return Role.parse(Validate.oneOf(field, value, null, allowed));
  }

  static char[] newPassword(String value, String... context) {
    if (value == null) {
      throw new ApiException.BadRequest("request.missing_field", "Field 'password' is required.");
    }
    char[] password = value.toCharArray();
    PasswordHasher.checkNew(password, context);
    return password;
  }

  static ApiException.Forbidden onlyOwner(String what) {
    return new ApiException.Forbidden("auth.forbidden", "Only an owner may create " + what + ".");
  }
}
