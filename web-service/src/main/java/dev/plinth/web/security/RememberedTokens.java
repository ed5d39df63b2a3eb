package dev.plinth.web.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.util.HttpHostResolver;
import io.micronaut.http.server.util.locale.HttpLocaleResolver;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.event.TokenValidatedEvent;
import io.micronaut.security.filters.SecurityFilter;
import io.micronaut.security.token.TokenAuthenticationFetcher;
import io.micronaut.security.token.reader.TokenResolver;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * micronaut-security's bearer-token authentication, remembering each token it validated for up to
 * {@value #REMEMBER_SECONDS} s (never past the token's own {@code exp}): a client sends the same
 * token with every request, and parsing it, checking its signature and claims and publishing the
 * validation event was a third of an authenticated read's cost (docs/performance.md). Only tokens
 * that validated are remembered (a guess costs the full check each time), at most {@value
 * #MAX_TOKENS}; a remembered token publishes no second {@code TokenValidatedEvent}. The price: a
 * token whose key leaves the JWKS still works for what is left of its {@value #REMEMBER_SECONDS} s
 * here.
 */
@Singleton
@Replaces(TokenAuthenticationFetcher.class)
@Requires(property = "micronaut.security.enabled", value = "true")
final class RememberedTokens extends TokenAuthenticationFetcher {
  static final int REMEMBER_SECONDS = 60;
  static final int MAX_TOKENS = 10_000;

  private final TokenResolver<HttpRequest<?>> resolver;
  private final Cache<String, Authentication> validated =
      Caffeine.newBuilder()
          .maximumSize(MAX_TOKENS)
          .expireAfter(
              new Expiry<String, Authentication>() {
                @Override
                public long expireAfterCreate(String token, Authentication who, long now) {
                  return remember(who).toNanos();
                }

                @Override
                public long expireAfterUpdate(
                    String token, Authentication who, long now, long current) {
                  return remember(who).toNanos();
                }

                @Override
                public long expireAfterRead(
                    String token, Authentication who, long now, long current) {
                  return current;
                }
              })
          .build();

  RememberedTokens(
      List<TokenValidator<HttpRequest<?>>> validators,
      TokenResolver<HttpRequest<?>> resolver,
      ApplicationEventPublisher<TokenValidatedEvent> events,
      HttpHostResolver hosts,
      HttpLocaleResolver locales) {
    super(validators, resolver, events, hosts, locales);
    this.resolver = resolver;
  }

  @Override
  public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
    List<String> tokens = resolver.resolveTokens(request);
    if (tokens.size() != 1) {
      return super.fetchAuthentication(request);
    }
    String token = tokens.get(0);
    Authentication known = validated.getIfPresent(token);
    if (known != null) {
      request.setAttribute(SecurityFilter.TOKEN, token);
      return Mono.just(known); // read on the spot by SynchronousSecurityFilter
    }
    return Mono.from(super.fetchAuthentication(request)).doOnNext(who -> validated.put(token, who));
  }

  /** Until the token's {@code exp}, at most {@value #REMEMBER_SECONDS} s. */
  static Duration remember(Authentication who) {
    Duration most = Duration.ofSeconds(REMEMBER_SECONDS);
    Object exp = who.getAttributes().get("exp");
    Instant until =
        exp instanceof Date date
            ? date.toInstant()
            : exp instanceof Number seconds ? Instant.ofEpochSecond(seconds.longValue()) : null;
    if (until == null) {
      return most;
    }
    Duration left = Duration.between(Instant.now(), until);
    return left.isNegative() ? Duration.ZERO : left.compareTo(most) < 0 ? left : most;
  }
}
