package dev.plinth.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemErrorResponseProcessorTest {
  @Test
  void answersErrorsWithProblemsByDefault() {
    try (ApplicationContext context = ApplicationContext.run()) {
      ErrorResponseProcessor<?> processor = context.getBean(ErrorResponseProcessor.class);

      assertThat(processor).isInstanceOf(ProblemErrorResponseProcessor.class);
      MutableHttpResponse<?> response =
          processor.processResponse(
              ErrorContext.builder(HttpRequest.GET("/x"))
                  .cause(new IllegalStateException("password=hunter2"))
                  .errorMessage("Internal Server Error: password=hunter2")
                  .build(),
              HttpResponse.status(HttpStatus.INTERNAL_SERVER_ERROR));
      assertThat(response.getContentType())
          .hasValueSatisfying(type -> assertThat(type.toString()).isEqualTo(Problem.MEDIA_TYPE));
      assertThat(response.getBody(Problem.class))
          .hasValue(
              new Problem(
                  "about:blank",
                  "Internal Server Error",
                  500,
                  ProblemErrorResponseProcessor.SERVER_ERROR_DETAIL,
                  "/x",
                  null));
    }
  }

  @Test
  void leavesErrorsToMicronautWhenSwitchedOff() {
    try (ApplicationContext context =
        ApplicationContext.run(Map.of(PlinthProperties.HTTP_PROBLEMS_ENABLED, "false"))) {
      assertThat(context.getBean(ErrorResponseProcessor.class))
          .isNotInstanceOf(ProblemErrorResponseProcessor.class);
      assertThat(context.containsBean(ProblemErrorResponseProcessor.class)).isFalse();
    }
  }
}
