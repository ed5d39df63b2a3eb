package dev.plinth.platform.secrets;

import dev.plinth.platform.config.Secret;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the values of query parameters whose names say they carry a credential ({@code password},
 * {@code token}, {@code key}, {@code secret}, {@code auth}, {@code session}, {@code signature},
 * ...), whatever the value: the redactor knows the process's own secrets, not a caller's. Used on
 * every query string that leaves the process (Sentry, {@code request.summary}) and on task errors.
 * A value ends at whitespace, which a query string never holds raw: in an exception's text the
 * words after a URL are not part of it.
 */
public final class SensitiveParameters {
  private static final Pattern PARAMETER =
      Pattern.compile(
          "(?i)(^|[?&;])([^=&;#]*(?:pass|pwd|token|key|secret|auth|session|sig|credential)"
              + "[^=&;#]*)=([^&;#\\s]*)");

  private SensitiveParameters() {}

  /** {@code text} (a query string or a whole URL) with sensitive parameters' values masked. */
  public static String mask(String text) {
    if (text == null || text.indexOf('=') < 0) {
      return text;
    }
    Matcher m = PARAMETER.matcher(text);
    return m.replaceAll(
        r -> Matcher.quoteReplacement(r.group(1) + r.group(2) + "=" + Secret.REDACTED));
  }
}
