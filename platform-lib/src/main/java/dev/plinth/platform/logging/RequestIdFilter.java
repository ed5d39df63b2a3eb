package dev.plinth.platform.logging;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.core.propagation.PropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import org.reactivestreams.Publisher;

/**
 * Gives every request its id before any other filter runs: the caller's {@code X-Request-ID} when
 * it is sane, else a new one; puts it into the propagated context (hence MDC {@code rid}) and
 * echoes it in the response.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
final class RequestIdFilter implements HttpServerFilter {
  @Override
  public Publisher<MutableHttpResponse<?>> doFilter(
      HttpRequest<?> request, ServerFilterChain chain) {
    String rid = RequestIds.acceptOrGenerate(request.getHeaders().get(RequestIds.HEADER));
    request.setAttribute(RequestIds.REQUEST_ATTRIBUTE, rid);
    PropagatedContext.Scope scope =
        PropagatedContext.getOrEmpty().plus(new RequestIdElement(rid)).propagate();
    try {
      return Publishers.map(
          chain.proceed(request), response -> response.header(RequestIds.HEADER, rid));
    } finally {
      scope.close();
    }
  }

  @Override
  public int getOrder() {
    return ServerFilterPhase.FIRST.before();
  }
}
