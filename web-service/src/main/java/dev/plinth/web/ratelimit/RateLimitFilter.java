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
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;
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

  private static final String DECISION = "plinth.rate-limit";
  private static final Mono<Optional<MutableHttpResponse<?>>> PROCEED = Mono.just(Optional.empty());

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

  // Empty to go on (a future or publisher of null would read as a missing response in 4.10).
  // In memory the buckets answer at once and this decides on the spot; through Redis it
  // answers when every group's bucket has.
  @RequestFilter
  Publisher<Optional<MutableHttpResponse<?>>> limit(HttpRequest<?> request) {
    List<RequestRateLimits.Group> groups = limits.matching(request.getPath());
    if (groups.isEmpty()) {
      return PROCEED;
    }
    String client = client(request);
    List<CompletableFuture<ConsumptionProbe>> probes = new ArrayList<>(groups.size());
    boolean answered = true;
    for (RequestRateLimits.Group group : groups) {
      CompletableFuture<ConsumptionProbe> probe =
          buckets.tryConsume("http:" + group.name() + ":" + client, group.bucket());
      probes.add(probe);
      answered &= probe.isDone();
    }
    if (answered) {
      return decide(request, groups, probes);
    }
    return Mono.fromFuture(CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)))
        .then(Mono.defer(() -> Mono.from(decide(request, groups, probes))));
  }

  @ResponseFilter
  void addHeaders(HttpRequest<?> request, MutableHttpResponse<?> response) {
    request
        .getAttribute(DECISION, Decision.class)
        .filter(decision -> !response.getHeaders().contains("RateLimit-Limit"))
        .ifPresent(decision -> headers(response, decision));
  }

  private static Publisher<Optional<MutableHttpResponse<?>>> decide(
      HttpRequest<?> request,
      List<RequestRateLimits.Group> groups,
      List<CompletableFuture<ConsumptionProbe>> probes) {
    Decision decision = null;
    for (int i = 0; i < groups.size(); i++) {
      Decision one = new Decision(groups.get(i), probes.get(i).join());
      decision = decision == null ? one : tighter(decision, one);
    }
    request.setAttribute(DECISION, decision);
    return decision.probe().isConsumed()
        ? PROCEED
        : Mono.just(Optional.of(refused(request, decision)));
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
