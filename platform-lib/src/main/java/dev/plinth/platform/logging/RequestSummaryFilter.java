package dev.plinth.platform.logging;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.util.StringUtils;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.security.Principal;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs one {@code request.summary} line (INFO) per HTTP request, errors included: path, method,
 * code, errno, t (ms), agent, lang, rid, uid and, when there is one, querystring. Runs right after
 * {@link RequestIdFilter}, so {@code t} covers every other filter and the route.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = RequestSummaryConfiguration.ENABLED, notEquals = StringUtils.FALSE)
final class RequestSummaryFilter implements Ordered {
  static final String LOGGER_NAME = "request.summary";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
  private static final String START_ATTRIBUTE = "plinth.logging.start";

  private final Set<String> excludedPaths;

  RequestSummaryFilter(RequestSummaryConfiguration configuration) {
    this.excludedPaths = Set.copyOf(configuration.getExcludePaths());
  }

  @RequestFilter
  void start(HttpRequest<?> request) {
    if (LOG.isInfoEnabled() && !excludedPaths.contains(request.getPath())) {
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
    int code = response.code();
    HttpHeaders headers = request.getHeaders();
    LoggingEventBuilder line =
        LOG.atInfo()
            .addKeyValue("path", request.getPath())
            .addKeyValue("method", request.getMethodName())
            .addKeyValue("code", code)
            .addKeyValue("errno", code >= 400 ? code : 0)
            .addKeyValue("t", (System.nanoTime() - start) / 1_000_000L)
            .addKeyValue("agent", orEmpty(headers.get(HttpHeaders.USER_AGENT)))
            .addKeyValue("lang", orEmpty(headers.get(HttpHeaders.ACCEPT_LANGUAGE)))
            .addKeyValue(RequestIds.MDC_KEY, RequestIds.of(request).orElse(""))
            .addKeyValue("uid", request.getUserPrincipal().map(Principal::getName).orElse(""));
    String query = request.getUri().getRawQuery();
    if (query != null && !query.isEmpty()) {
      line = line.addKeyValue("querystring", query);
    }
    line.log();
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  @Override
  public int getOrder() {
    return ServerFilterPhase.FIRST.order();
  }
}
