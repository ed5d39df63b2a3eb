package dev.plinth.platform.appdata;

import java.nio.charset.StandardCharsets;

/**
 * A validated appdata key: a relative, '/'-separated name that cannot leave the store's root or
 * prefix. Keys come from users, so every rule is checked here, once, for both backends: not empty,
 * at most {@value #MAX_BYTES} UTF-8 bytes, no leading '/' or drive letter, no backslash, no control
 * character, no empty, '.' or '..' segment, no segment over {@value #MAX_SEGMENT_BYTES} bytes (S3
 * would take it, a filesystem would not: refused on both, so both backends agree).
 */
public record AppdataKey(String value) {
  /** S3's own limit on key length, in UTF-8 bytes. */
  public static final int MAX_BYTES = 1024;

  /** A filesystem's limit on one name (NAME_MAX), in UTF-8 bytes. */
  public static final int MAX_SEGMENT_BYTES = 255;

  public AppdataKey {
    String problem = problem(value, false);
    if (problem != null) {
      throw new InvalidAppdataKeyException(problem);
    }
  }

  public static AppdataKey of(String value) {
    return new AppdataKey(value);
  }

  /**
   * Checks a listing prefix: the same rules as a key, except that it may be empty or end with '/'.
   *
   * @return the prefix
   * @throws InvalidAppdataKeyException when it breaks a rule
   */
  public static String checkPrefix(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      return "";
    }
    String problem = problem(prefix, true);
    if (problem != null) {
      throw new InvalidAppdataKeyException(problem);
    }
    return prefix;
  }

  private static String problem(String value, boolean prefix) {
    if (value == null || value.isEmpty()) {
      return "an appdata key must not be empty";
    }
    if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "an appdata key must be at most " + MAX_BYTES + " bytes";
    }
    if (value.startsWith("/") || value.matches("^[A-Za-z]:.*")) {
      return "an appdata key must be relative (no leading '/' or drive letter)";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\') {
        return "an appdata key must not contain '\\\\'";
      }
      if (Character.isISOControl(c)) {
        return "an appdata key must not contain control characters";
      }
    }
    String body = prefix && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    for (String segment : body.split("/", -1)) {
      if (segment.isEmpty()) {
        return "an appdata key must not contain empty segments ('//' or a trailing '/')";
      }
      if (segment.equals(".") || segment.equals("..")) {
        return "an appdata key must not contain '.' or '..' segments";
      }
      if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
        return "an appdata key must have segments of at most " + MAX_SEGMENT_BYTES + " bytes each";
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return value;
  }
}
