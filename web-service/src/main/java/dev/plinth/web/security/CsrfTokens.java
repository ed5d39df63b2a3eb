package dev.plinth.web.security;

import io.micronaut.session.Session;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The session's CSRF token (docs/api.md, "Pages"): a random value the session keeps and every page
 * form carries back in its {@value #FIELD} field ({@code CsrfFilter} checks it). A page on another
 * site can make a browser post a form with the visitor's cookie, but cannot read this page to learn
 * the token.
 */
@Singleton
public final class CsrfTokens {
  /** The form field, and {@value #HEADER} the header, that carry the token. */
  public static final String FIELD = "csrf";

  public static final String HEADER = "X-CSRF-Token";

  private static final String ATTRIBUTE = "plinth.csrf";

  private final SecureRandom random = new SecureRandom();

  /** The session's token, made when it has none. */
  public String tokenFor(Session session) {
    return session
        .get(ATTRIBUTE, String.class)
        .orElseGet(
            () -> {
              byte[] bytes = new byte[32];
              random.nextBytes(bytes);
              String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
              session.put(ATTRIBUTE, token);
              return token;
            });
  }

  /** Whether {@code given} is the session's token (compared in constant time). */
  static boolean matches(Session session, String given) {
    return given != null
        && session
            .get(ATTRIBUTE, String.class)
            .map(
                token ->
                    MessageDigest.isEqual(
                        token.getBytes(StandardCharsets.UTF_8),
                        given.getBytes(StandardCharsets.UTF_8)))
            .orElse(false);
  }
}
