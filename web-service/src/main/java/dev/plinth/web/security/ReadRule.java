package dev.plinth.web.security;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecuredAnnotationRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.web.router.MethodBasedRouteMatch;
import io.micronaut.web.router.RouteAttributes;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The rule of the {@link Read} routes: allowed with a login, or to anyone with {@code
 * APP_ANONYMOUS_READS}; refused otherwise (401). After the client-address rule, before the
 * {@code @Secured} annotations.
 */
@Singleton
@Requires(property = "micronaut.security.enabled", value = "true")
final class ReadRule implements SecurityRule<HttpRequest<?>> {
  static final int ORDER = SecuredAnnotationRule.ORDER - 1;

  // Answers SynchronousSecurityFilter reads on the spot.
  private static final Mono<SecurityRuleResult> ALLOWED = Mono.just(SecurityRuleResult.ALLOWED);
  private static final Mono<SecurityRuleResult> REJECTED = Mono.just(SecurityRuleResult.REJECTED);
  private static final Mono<SecurityRuleResult> UNKNOWN = Mono.just(SecurityRuleResult.UNKNOWN);

  private final boolean anonymous;

  ReadRule(@Value("${" + PlinthProperties.SECURITY_ANONYMOUS_READS + ":false}") boolean anonymous) {
    this.anonymous = anonymous;
  }

  @Override
  public Publisher<SecurityRuleResult> check(
      @Nullable HttpRequest<?> request, @Nullable Authentication authentication) {
    boolean read =
        request != null
            && RouteAttributes.getRouteMatch(request)
                .filter(
                    route ->
                        route instanceof MethodBasedRouteMatch<?, ?> method
                            && method.hasDeclaredAnnotation(Read.class))
                .isPresent();
    if (!read) {
      return UNKNOWN;
    }
    return anonymous || authentication != null ? ALLOWED : REJECTED;
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
