package dev.plinth.web.security;

import dev.plinth.platform.http.Problem;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.http.server.filter.FilterBodyParser;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.session.Session;
import io.micronaut.session.http.SessionForRequest;
import jakarta.inject.Named;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Refuses a form post to a page that does not carry its session's CSRF token ({@link CsrfTokens}):
 * any {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE} with a form body outside {@code
 * /api/} needs the token in its {@value CsrfTokens#FIELD} field or its {@value CsrfTokens#HEADER}
 * header, else it is answered 403 before its route runs. The API is left alone: a session cookie
 * authenticates nothing there ({@link SessionLogins}). After the session filter, which finds the
 * session the token lives in; the body is parsed without a thread of its own.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class CsrfFilter implements Ordered {

  private static final Set<HttpMethod> UNSAFE =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  private static final Mono<Optional<MutableHttpResponse<?>>> PROCEED = Mono.just(Optional.empty());

  private final FilterBodyParser forms;
  private final Scheduler afterParsing;

  CsrfFilter(FilterBodyParser forms, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
    this.forms = forms;
    this.afterParsing = Schedulers.fromExecutorService(blocking);
  }

  @Override
  public int getOrder() {
    return ServerFilterPhase.SESSION.after();
  }

  // Empty to go on (a future or publisher of null would read as a missing response in 4.10).
  @RequestFilter
  Publisher<Optional<MutableHttpResponse<?>>> check(HttpRequest<?> request) {
    Optional<MediaType> type = request.getContentType();
    if (!UNSAFE.contains(request.getMethod())
        || request.getPath().startsWith("/api/")
        || type.isEmpty()
        || !(form(type.get()) || multipart(type.get()))) {
      return PROCEED;
    }
    Session session = SessionForRequest.find(request).orElse(null);
    String header = request.getHeaders().get(CsrfTokens.HEADER);
    if (header != null || multipart(type.get())) {
      // A multipart form's fields are not parsed here: its page's script sends the header.
      return session != null && CsrfTokens.matches(session, header) ? PROCEED : refuse(request);
    }
    if (session == null) {
      return refuse(request);
    }
    // On from another thread: continued inside the body's own completion, the route's binding
    // would subscribe to the body while it is still being delivered (Micronaut 4.10 asserts).
    return Mono.fromFuture(forms.parseBody(request))
        .publishOn(afterParsing)
        .flatMap(
            fields ->
                fields.get(CsrfTokens.FIELD) instanceof String token
                        && CsrfTokens.matches(session, token)
                    ? PROCEED
                    : refuse(request));
  }

  private static boolean form(MediaType type) {
    return type.matches(MediaType.APPLICATION_FORM_URLENCODED_TYPE);
  }

  private static boolean multipart(MediaType type) {
    return type.matches(MediaType.MULTIPART_FORM_DATA_TYPE);
  }

  private static Mono<Optional<MutableHttpResponse<?>>> refuse(HttpRequest<?> request) {
    return Mono.just(
        Optional.of(
            Problem.response(
                HttpStatus.FORBIDDEN,
                "The form's CSRF token is missing or is not this session's: reload the page and"
                    + " try again.",
                request.getPath())));
  }
}
