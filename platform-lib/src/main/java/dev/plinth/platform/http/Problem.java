package dev.plinth.platform.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * An RFC 7807 problem, the body of every HTTP error answer ({@code application/problem+json}).
 * {@code violations} lists the invalid fields of a 400 caused by validation.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    @Nullable String detail,
    @Nullable String instance,
    @Nullable List<Violation> violations) {

  /** The media type of a problem. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /** A response of {@code status} whose body is the problem for {@code detail} at {@code path}. */
  public static MutableHttpResponse<Problem> response(
      HttpStatus status, String detail, String path) {
    return HttpResponse.<Problem>status(status)
        .contentType(MediaType.of(MEDIA_TYPE))
        .body(new Problem("about:blank", status.getReason(), status.getCode(), detail, path, null));
  }

  /** One invalid field: its name (dotted for nested fields) and what is wrong with it. */
  @Serdeable
  public record Violation(String field, String message) {}
}
