package dev.plinth.platform.logging;

import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * Gives every request its id before any other filter runs: the caller's {@code X-Request-ID} when
 * it is sane, else a new one; puts it into the propagated context (hence MDC {@code rid}) and
 * echoes it in the response.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class RequestIdFilter implements Ordered {
  @RequestFilter
  void assign(HttpRequest<?> request, MutablePropagatedContext context) {
    String rid = RequestIds.acceptOrGenerate(request.getHeaders().get(RequestIds.HEADER));
    request.setAttribute(RequestIds.REQUEST_ATTRIBUTE, rid);
    context.add(new RequestIdElement(rid));
  }

  @ResponseFilter
  void echo(HttpRequest<?> request, MutableHttpResponse<?> response) {
    RequestIds.of(request).ifPresent(rid -> response.header(RequestIds.HEADER, rid));
  }

  @Override
  public int getOrder() {
    return ServerFilterPhase.FIRST.before();
  }
}
