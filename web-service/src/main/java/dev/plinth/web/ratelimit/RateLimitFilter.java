package dev.plinth.web.ratelimit;

import dev.plinth.platform.http.Problem;
import dev.plinth.platform.ratelimit.TokenBuckets;
import io.github.bucket4j.ConsumptionProbe;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;

/**
 * Holds each client to the limits of the route groups its request's path is in: a request over one
 * is answered 429 (a problem, with {@code Retry-After}) before anything else runs; every limited
 * response carries {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset}
 * (seconds until the bucket is full again) of its tightest group, and {@code RateLimit-Policy}.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(beans = RouteGroupLimit.class)
final class RateLimitFilter {
  private static final String DECISION = "plinth.rate-limit";

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

  // On the blocking pool: Micronaut 4.10 reads an asynchronous "go on" (a future completed with
  // null) as a missing filter context behind its legacy filters, so the bucket is awaited here,
  // bounded by TokenBuckets' Redis timeout.
  @RequestFilter
  @ExecuteOn(TaskExecutors.BLOCKING)
  @Nullable
  MutableHttpResponse<?> limit(HttpRequest<?> request) {
    List<RequestRateLimits.Group> groups = limits.matching(request.getPath());
    if (groups.isEmpty()) {
      return null;
    }
    String client = clients.of(request);
    Decision decision = null;
    for (RequestRateLimits.Group group : groups) {
      ConsumptionProbe probe =
          buckets.tryConsume("http:" + group.name() + ":" + client, group.bucket()).join();
      decision = tighter(decision, new Decision(group, probe));
    }
    request.setAttribute(DECISION, decision);
    if (decision.probe().isConsumed()) {
      return null;
    }
    long retryAfter = seconds(decision.probe().getNanosToWaitForRefill());
    MutableHttpResponse<?> refused =
        Problem.response(
                HttpStatus.TOO_MANY_REQUESTS,
                "rate limit " + decision.group().name() + " reached: retry in " + retryAfter + " s",
                request.getPath())
            .header("Retry-After", Long.toString(retryAfter));
    headers(refused, decision);
    return refused;
  }

  @ResponseFilter
  void addHeaders(HttpRequest<?> request, MutableHttpResponse<?> response) {
    request
        .getAttribute(DECISION, Decision.class)
        .filter(decision -> !response.getHeaders().contains("RateLimit-Limit"))
        .ifPresent(decision -> headers(response, decision));
  }

  private static Decision tighter(Decision before, Decision now) {
    if (before == null) {
      return now;
    }
    if (before.probe().isConsumed() != now.probe().isConsumed()) {
      return before.probe().isConsumed() ? now : before;
    }
    return now.probe().getRemainingTokens() < before.probe().getRemainingTokens() ? now : before;
  }

  private static void headers(MutableHttpResponse<?> response, Decision decision) {
    long limit = decision.group().rate().count();
    response
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
