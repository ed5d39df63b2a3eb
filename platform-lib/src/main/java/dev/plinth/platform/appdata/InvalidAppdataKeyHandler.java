package dev.plinth.platform.appdata;

import dev.plinth.platform.http.Problem;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Answers a bad appdata key with a 400 problem saying which rule the key broke. */
@Singleton
@Produces
@Requires(classes = ExceptionHandler.class)
public class InvalidAppdataKeyHandler
    implements ExceptionHandler<InvalidAppdataKeyException, HttpResponse<Problem>> {
  @Override
  public HttpResponse<Problem> handle(
      @SuppressWarnings("rawtypes") HttpRequest request, InvalidAppdataKeyException exception) {
    Problem problem =
        new Problem(
            "about:blank",
            HttpStatus.BAD_REQUEST.getReason(),
            HttpStatus.BAD_REQUEST.getCode(),
            exception.getMessage(),
            request.getPath(),
            null);
    return HttpResponse.<Problem>badRequest(problem).contentType(MediaType.of(Problem.MEDIA_TYPE));
  }
}
