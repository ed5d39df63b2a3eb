package dev.plinth.web.security;

import dev.plinth.platform.accounts.Account;
import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.session.SessionRotation;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import io.micronaut.session.Session;
import io.micronaut.session.http.SessionForRequest;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The pages' logins, kept in the session (docs/api.md, "Pages"): a log-in rotates the session id
 * and records who logged in; every later page request of that session is theirs, until the log-out
 * discards the session. Only the pages: under {@code /api/} a session cookie authenticates nothing
 * (the API takes bearer tokens), so no page a visitor has open can act on the API in their name.
 * The session holds the account as it was at the log-in: a changed role or a removed account takes
 * effect at the next one (or when the session expires, {@code SESSION_MAX_INACTIVE_SECONDS}).
 */
@Singleton
@Requires(property = PlinthProperties.LOGIN_ENABLED, value = "true")
public final class SessionLogins implements AuthenticationFetcher<HttpRequest<?>> {
  /** The display name among the principal's attributes. */
  public static final String NAME_ATTRIBUTE = "name";

  private static final String USERNAME = "plinth.login.username";
  private static final String DISPLAY_NAME = "plinth.login.name";
  private static final String ROLES = "plinth.login.roles";

  private final SessionRotation rotation;

  SessionLogins(SessionRotation rotation) {
    this.rotation = rotation;
  }

  /**
   * Logs {@code account} in: a new session id (the old one is deleted) holding the account. Blocks
   * on the session store: call it from a blocking route.
   */
  public void logIn(HttpRequest<?> request, Account account) {
    Session session = rotation.rotate(request);
    session.put(USERNAME, account.username());
    session.put(DISPLAY_NAME, account.displayName());
    // One string: session values are JSON in Redis, and a raw list does not come back typed.
    session.put(ROLES, String.join(" ", account.roles()));
  }

  /** Logs the session's holder out: the session is deleted and a new, empty one begins. */
  public void logOut(HttpRequest<?> request) {
    rotation.discard(request);
  }

  // Mono's own just and empty: SynchronousSecurityFilter reads them on the spot.
  @Override
  public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
    if (request.getPath().startsWith("/api/")) {
      return Mono.empty();
    }
    return SessionForRequest.find(request)
        .flatMap(SessionLogins::authentication)
        .map(Mono::just)
        .orElseGet(Mono::empty);
  }

  private static Optional<Authentication> authentication(Session session) {
    return session
        .get(USERNAME, String.class)
        .map(
            username ->
                Authentication.build(
                    username,
                    session
                        .get(ROLES, String.class)
                        .filter(roles -> !roles.isBlank())
                        .map(roles -> List.of(roles.split(" ")))
                        .orElse(List.of()),
                    Map.of(
                        NAME_ATTRIBUTE, session.get(DISPLAY_NAME, String.class).orElse(username))));
  }
}
