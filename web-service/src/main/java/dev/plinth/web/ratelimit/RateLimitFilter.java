package dev.plinth.web.ratelimit;

import dev.plinth.platform.http.Problem;
import dev.plinth.platform.ratelimit.TokenBuckets;
import io.github.bucket4j.ConsumptionProbe;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Holds each client to the limits of the route groups its request's path is in: a request over one
 * is answered 429 (a problem, with {@code Retry-After}) before its route runs; every limited
 * response carries {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset}
 * (seconds until the bucket is full again) of its tightest group, and {@code RateLimit-Policy}. The
 * client is the authenticated user ({@code user:<name>}, the same on every address) or else the
 * client address ({@code addr:<ip>}): so this runs after the security filter, and a request that
 * filter refuses (401, 403) is not counted. Without a thread of its own: the buckets answer
 * asynchronously (Redis) or at once (memory), and paths in no group pass untouched.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(beans = RouteGroupLimit.class)
final class RateLimitFilter implements Ordered {

  /** The tightest group's state after this request took its token (or failed to). */
  record Decision(RequestRateLimits.Group group, ConsumptionProbe probe) {}

  private final RequestRateLimits limits;
  private final TokenBuckets buckets;
  private final ClientAddresses clients;

  RateLimitFilter(RequestRateLimits limits, TokenBuckets buckets, ClientAddresses clients) {
    this.limits = limits;
    this.buckets = buckets;
    this.clients = clients;
  }

  @Override
  public int getOrder() {
    return ServerFilterPhase.SECURITY.after();
  }

  @RequestFilter
  Publisher<MutableHttpResponse<?>> limit(
      HttpRequest<?> request, FilterContinuation<Publisher<MutableHttpResponse<?>>> next) {
    List<RequestRateLimits.Group> groups = limits.matching(request.getPath());
    if (groups.isEmpty()) {
      return next.proceed();
    }
    String client = client(request);
    Mono<Decision> decided =
        Flux.fromIterable(groups)
            .concatMap(
                group ->
                    Mono.fromFuture(
                            () ->
                                buckets.tryConsume(
                                    "http:" + group.name() + ":" + client, group.bucket()))
                        .map(probe -> new Decision(group, probe)))
            .reduce(RateLimitFilter::tighter);
    return decided.flatMap(
        decision -> {
          if (!decision.probe().isConsumed()) {
            return Mono.just(refused(request, decision));
          }
          return Mono.from(next.proceed()).map(response -> headers(response, decision));
        });
  }

  private String client(HttpRequest<?> request) {
    return request
        .getUserPrincipal()
        .map(principal -> "user:" + principal.getName())
        .orElseGet(() -> "addr:" + clients.of(request));
  }

  private static MutableHttpResponse<?> refused(HttpRequest<?> request, Decision decision) {
    long retryAfter = seconds(decision.probe().getNanosToWaitForRefill());
    MutableHttpResponse<?> refused =
        Problem.response(
                HttpStatus.TOO_MANY_REQUESTS,
                "rate limit " + decision.group().name() + " reached: retry in " + retryAfter + " s",
                request.getPath())
            .header("Retry-After", Long.toString(retryAfter));
    return headers(refused, decision);
  }

  private static Decision tighter(Decision before, Decision now) {
    if (before.probe().isConsumed() != now.probe().isConsumed()) {
      return before.probe().isConsumed() ? now : before;
    }
    return now.probe().getRemainingTokens() < before.probe().getRemainingTokens() ? now : before;
  }

  private static MutableHttpResponse<?> headers(
      MutableHttpResponse<?> response, Decision decision) {
    long limit = decision.group().rate().count();
    return response
        .header("RateLimit-Limit", Long.toString(limit))
        .header("RateLimit-Remaining", Long.toString(decision.probe().getRemainingTokens()))
        .header(
            "RateLimit-Reset",
            Long.toString(
                (decision.probe().getNanosToWaitForReset() + 999_999_999L) / 1_000_000_000L))
        .header("RateLimit-Policy", limit + ";w=" + decision.group().rate().per().toSeconds());
  }

  private static long seconds(long nanos) {
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }
}
