package dev.plinth.platform.sentry;

import dev.plinth.platform.logging.RequestIds;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.web.router.RouteAttributes;
import io.sentry.protocol.Request;
import java.security.Principal;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reports each HTTP request that ended in a server error because of an exception: once, with the
 * method, URL, headers (scrubbed later by {@link SentryEventScrubber}), the request id as tag and
 * the authenticated user's id as the event's user.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(bean = SentryLifecycle.class)
final class SentryHttpFilter implements Ordered {
  private final SentryErrorReporter reporter = new SentryErrorReporter();

  @ResponseFilter
  void reportServerError(HttpRequest<?> request, MutableHttpResponse<?> response) {
    if (response.code() < 500) {
      return;
    }
    RouteAttributes.getException(response)
        .ifPresent(
            error -> {
              Map<String, String> tags = new TreeMap<>();
              RequestIds.of(request)
                  .or(RequestIds::current)
                  .ifPresent(rid -> tags.put(RequestIds.MDC_KEY, rid));
              reporter.report(
                  error,
                  tags,
                  describe(request),
                  request.getUserPrincipal().map(Principal::getName).orElse(null));
            });
  }

  private static Request describe(HttpRequest<?> request) {
    Request described = new Request();
    described.setMethod(request.getMethodName());
    described.setUrl(request.getUri().getPath());
    described.setQueryString(request.getUri().getRawQuery());
    Map<String, String> headers = new TreeMap<>();
    request.getHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
    described.setHeaders(headers);
    return described;
  }

  @Override
  public int getOrder() {
    // Outermost: sees the final response, after every other filter.
    return HIGHEST_PRECEDENCE;
  }
}
