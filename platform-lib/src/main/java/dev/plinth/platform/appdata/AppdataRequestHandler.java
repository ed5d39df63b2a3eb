package dev.plinth.platform.appdata;

import dev.plinth.platform.http.Problem;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Answers an appdata request the store refuses (a bad key: 400; a key colliding with another in the
 * local store: 409) with a problem saying which rule it broke.
 */
@Singleton
@Produces
@Requires(classes = ExceptionHandler.class)
public class AppdataRequestHandler
    implements ExceptionHandler<AppdataRequestException, HttpResponse<Problem>> {
  @Override
  public HttpResponse<Problem> handle(
      @SuppressWarnings("rawtypes") HttpRequest request, AppdataRequestException exception) {
    return Problem.response(
        HttpStatus.valueOf(exception.status()), exception.getMessage(), request.getPath());
  }
}
