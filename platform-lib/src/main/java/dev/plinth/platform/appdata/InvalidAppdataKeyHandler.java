package dev.plinth.platform.appdata;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.Map;

/** Answers a bad appdata key with 400 and a problem document saying which rule it broke. */
@Singleton
@Produces
@Requires(classes = ExceptionHandler.class)
public class InvalidAppdataKeyHandler
    implements ExceptionHandler<InvalidAppdataKeyException, HttpResponse<Map<String, Object>>> {
  @Override
  public HttpResponse<Map<String, Object>> handle(
      @SuppressWarnings("rawtypes") HttpRequest request, InvalidAppdataKeyException exception) {
    Map<String, Object> problem =
        Map.of(
            "type",
            "about:blank",
            "title",
            "Invalid appdata key",
            "status",
            HttpStatus.BAD_REQUEST.getCode(),
            "detail",
            exception.getMessage());
    return HttpResponse.<Map<String, Object>>badRequest(problem)
        .contentType(MediaType.of("application/problem+json"));
  }
}
