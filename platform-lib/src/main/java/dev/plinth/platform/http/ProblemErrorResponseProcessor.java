package dev.plinth.platform.http;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns every error answer of the HTTP server (validation, unreadable bodies, unknown routes, wrong
 * methods or media types, unhandled exceptions) into an RFC 7807 problem. Server errors carry a
 * fixed detail: an exception's message may hold internals and never leaves the process.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
@Requires(property = PlinthProperties.HTTP_PROBLEMS_ENABLED, notEquals = "false")
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

  static final String SERVER_ERROR_DETAIL =
      "The server could not complete the request; the error has been logged.";

  @Override
  @NonNull
  public MutableHttpResponse<Problem> processResponse(
      @NonNull ErrorContext context, @NonNull MutableHttpResponse<?> response) {
    int status = response.code();
    // The standard phrase, not a handler's custom reason: a reason may carry an exception's text.
    String title = HttpStatus.getDefaultReason(status);
    Problem problem =
        new Problem(
            "about:blank",
            title != null ? title : "HTTP " + status,
            status,
            status >= 500 ? SERVER_ERROR_DETAIL : detail(context),
            context.getRequest().getPath(),
            violations(context));
    return response.body(problem).contentType(Problem.MEDIA_TYPE);
  }

  private static String detail(ErrorContext context) {
    if (context.getRootCause().orElse(null) instanceof ConstraintViolationException) {
      return "The request is invalid; see violations.";
    }
    String messages =
        context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
    return messages.isEmpty() ? null : messages;
  }

  private static List<Problem.Violation> violations(ErrorContext context) {
    if (!(context.getRootCause().orElse(null) instanceof ConstraintViolationException e)) {
      return null;
    }
    List<Problem.Violation> violations = new ArrayList<>();
    for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
      violations.add(
          new Problem.Violation(field(violation.getPropertyPath()), violation.getMessage()));
    }
    violations.sort(
        Comparator.comparing(Problem.Violation::field).thenComparing(Problem.Violation::message));
    return violations;
  }

  /**
   * The name a client knows: a body's property path ({@code title}), or the parameter's own name
   * ({@code size}) when the parameter itself is invalid; never the Java method's name.
   */
  private static String field(Path path) {
    List<String> properties = new ArrayList<>();
    String parameter = null;
    for (Path.Node node : path) {
      if (node.getKind() == ElementKind.PARAMETER) {
        parameter = node.getName();
      } else if (node.getKind() == ElementKind.PROPERTY
          || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
        properties.add(node.getName());
      }
    }
    if (!properties.isEmpty()) {
      return String.join(".", properties);
    }
    return parameter != null ? parameter : path.toString();
  }
}
