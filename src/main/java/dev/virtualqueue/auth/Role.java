package dev.virtualqueue.auth;

import java.util.Locale;

/** Staff and API-key roles, from most to least powerful. */
public enum Role {
  OWNER, ADMIN, AGENT, VIEWER;

  /** True when this role may do what {@code required} may do. */
  public boolean atLeast(Role required) {
    return ordinal() <= required.ordinal();
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role parse(String s) {
    return Role.valueOf(s.toUpperCase(Locale.ROOT));
  }
}
