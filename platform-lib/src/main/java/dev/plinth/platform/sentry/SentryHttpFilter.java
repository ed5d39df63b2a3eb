package dev.plinth.platform.sentry;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.web.router.RouteAttributes;
import io.sentry.protocol.Request;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.MDC;

/**
 * Reports each HTTP request that ended in a server error because of an exception: once, with the
 * method, URL, headers (scrubbed later by {@link SentryEventScrubber}) and the request id as tag.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(bean = SentryLifecycle.class)
final class SentryHttpFilter implements Ordered {
  static final String REQUEST_ID_HEADER = "X-Request-Id";

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
              String rid = MDC.get("rid");
              if (rid == null) {
                rid = request.getHeaders().get(REQUEST_ID_HEADER);
              }
              if (rid != null) {
                tags.put("rid", rid);
              }
              reporter.report(error, tags, describe(request));
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
