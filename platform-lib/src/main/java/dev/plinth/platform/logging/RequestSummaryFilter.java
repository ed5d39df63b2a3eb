package dev.plinth.platform.logging;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.security.Principal;

/**
 * Logs one {@code request.summary} line (INFO) per HTTP request, errors included: path, method,
 * code, errno, t (ms), agent, lang, rid, uid and, when there is one, querystring. Runs right after
 * {@link RequestIdFilter}, so {@code t} covers every other filter and the route.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(bean = RequestSummaryLog.class)
final class RequestSummaryFilter implements Ordered {
  private static final String START_ATTRIBUTE = "plinth.logging.start";

  private final RequestSummaryLog summaries;

  RequestSummaryFilter(RequestSummaryLog summaries) {
    this.summaries = summaries;
  }

  @RequestFilter
  void start(HttpRequest<?> request) {
    if (summaries.wants(request.getPath())) {
      request.setAttribute(START_ATTRIBUTE, System.nanoTime());
    }
  }

  @ResponseFilter
  void summarise(HttpRequest<?> request, MutableHttpResponse<?> response) {
    Long start = request.getAttribute(START_ATTRIBUTE, Long.class).orElse(null);
    if (start == null) {
      return; // excluded, or INFO was off when the request came in
    }
    // Removed so that a response filtered twice (error routes) still gives one line.
    request.removeAttribute(START_ATTRIBUTE, Long.class);
    HttpHeaders headers = request.getHeaders();
    summaries.log(
        request.getPath(),
        request.getMethodName(),
        response.code(),
        start,
        headers.get(HttpHeaders.USER_AGENT),
        headers.get(HttpHeaders.ACCEPT_LANGUAGE),
        RequestIds.of(request).orElse(null),
        request.getUserPrincipal().map(Principal::getName).orElse(null),
        request.getUri().getRawQuery());
  }

  @Override
  public int getOrder() {
    return ServerFilterPhase.FIRST.order();
  }
}
