package dev.plinth.web.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.runtime.ApplicationConfiguration;
import io.micronaut.security.authentication.WwwAuthenticateChallenge;
import io.micronaut.security.authentication.WwwAuthenticateChallengeProvider;
import jakarta.inject.Singleton;

/**
 * {@code WWW-Authenticate: Bearer realm="<app>"} on a 401, as RFC 6750 asks of a resource server
 * (micronaut-security brings only Basic's).
 */
@Singleton
@Requires(property = "micronaut.security.enabled", value = "true")
final class BearerChallenge implements WwwAuthenticateChallengeProvider<HttpRequest<?>> {
  private final String realm;

  BearerChallenge(ApplicationConfiguration application) {
    this.realm = application.getName().orElse("plinth");
  }

  @Override
  public String getWwwAuthenticateChallenge(HttpRequest<?> request) {
    return WwwAuthenticateChallenge.builder()
        .authScheme("Bearer")
        .param("realm", realm)
        .build()
        .toString();
  }
}
