package dev.plinth.web.security;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.util.StringUtils;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.config.SecurityConfiguration;
import io.micronaut.security.config.SecurityConfigurationProperties;
import io.micronaut.security.filters.AuthenticationFetcher;
import io.micronaut.security.filters.SecurityFilter;
import io.micronaut.security.filters.SecurityFilterConfigurationProperties;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.web.router.RouteAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * micronaut-security's filter with the same fetchers, rules and outcomes, decided without a
 * reactive pipeline when every answer is already there. Each fetcher and rule answers with a
 * publisher; the ones here answer at once ({@code Mono.just}, {@code Mono.empty}: a remembered
 * token, the session's login, every built-in rule), and the library's filter still strung them
 * through half a dozen operators around the route's own response: a fifth of an authenticated
 * read's cost (docs/performance.md). Here an answer that is already there is read on the spot and
 * the route's response passes through untouched; the first one that is not (a token seen for the
 * first time, a JWKS fetch) hands the rest of the request to the library's own reactive path.
 */
@Filter(
    "${"
        + SecurityFilterConfigurationProperties.PREFIX
        + ".pattern:"
        + Filter.MATCH_ALL_PATTERN
        + "}")
@Replaces(SecurityFilter.class)
@Requires(property = SecurityConfigurationProperties.PREFIX + ".enabled", value = StringUtils.TRUE)
@Requires(
    property = SecurityFilterConfigurationProperties.PREFIX + ".enabled",
    notEquals = StringUtils.FALSE,
    defaultValue = StringUtils.TRUE)
final class SynchronousSecurityFilter extends SecurityFilter {

  /** A publisher that has not answered yet. */
  private static final Object PENDING = new Object();

  SynchronousSecurityFilter(
      Collection<SecurityRule<HttpRequest<?>>> rules,
      Collection<AuthenticationFetcher<HttpRequest<?>>> fetchers,
      SecurityConfiguration configuration) {
    super(rules, fetchers, configuration);
  }

  @Override
  public Publisher<MutableHttpResponse<?>> doFilter(
      HttpRequest<?> request, ServerFilterChain chain) {
    request.getAttributes().put(KEY, true);
    Iterator<AuthenticationFetcher<HttpRequest<?>>> fetchers = authenticationFetchers.iterator();
    while (fetchers.hasNext()) {
      Publisher<Authentication> fetched = fetchers.next().fetchAuthentication(request);
      Object who;
      try {
        who = answer(fetched);
      } catch (Exception e) {
        return Flux.error(e);
      }
      if (who == PENDING) {
        return Mono.from(fetched)
            .switchIfEmpty(
                Flux.fromIterable(rest(fetchers))
                    .flatMap(fetcher -> fetcher.fetchAuthentication(request))
                    .next())
            .flatMapMany(found -> decide(request, chain, found))
            .switchIfEmpty(Flux.defer(() -> decide(request, chain, null)));
      }
      if (who != null) {
        return decide(request, chain, (Authentication) who);
      }
    }
    return decide(request, chain, null);
  }

  private Publisher<MutableHttpResponse<?>> decide(
      HttpRequest<?> request, ServerFilterChain chain, @Nullable Authentication who) {
    request.setAttribute(AUTHENTICATION, who);
    for (SecurityRule<HttpRequest<?>> rule : securityRules) {
      Object result;
      try {
        result = answer(rule.check(request, who));
      } catch (Exception e) {
        return Flux.error(e);
      }
      if (result == PENDING) {
        // The rules before this one answered UNKNOWN at once, and asking them again costs
        // what it did: the library's path takes it from the first rule.
        return checkRules(request, chain, who);
      }
      if (result == SecurityRuleResult.ALLOWED) {
        return chain.proceed(request);
      }
      if (result == SecurityRuleResult.REJECTED) {
        return reject(request, who);
      }
    }
    boolean routed = RouteAttributes.getRouteMatch(request).isPresent();
    if (!routed && !securityConfiguration.isRejectNotFound()) {
      return chain.proceed(request);
    }
    return reject(request, who);
  }

  private static Publisher<MutableHttpResponse<?>> reject(
      HttpRequest<?> request, @Nullable Authentication who) {
    request.setAttribute(REJECTION, who != null ? HttpStatus.FORBIDDEN : HttpStatus.UNAUTHORIZED);
    return Mono.error(new AuthorizationException(who));
  }

  /** The publisher's one value, null when it is empty, or {@link #PENDING}. */
  private static Object answer(Publisher<?> publisher) throws Exception {
    if (publisher instanceof Fuseable.ScalarCallable<?> scalar) {
      return scalar.call();
    }
    return PENDING;
  }

  private static <T> List<T> rest(Iterator<T> iterator) {
    List<T> rest = new ArrayList<>();
    iterator.forEachRemaining(rest::add);
    return rest;
  }
}
