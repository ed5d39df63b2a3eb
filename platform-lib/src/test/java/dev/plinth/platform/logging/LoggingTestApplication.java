package dev.plinth.platform.logging;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A WEB-like application for the request-logging tests: a few routes that log. */
final class LoggingTestApplication {
  static final String ENABLED = "plinth.test.logging-routes";
  static final String CONTROLLER_LOGGER = "test.logging.controller";

  private LoggingTestApplication() {}

  /** Stands in for an authentication filter: the principal named by a test header. */
  @ServerFilter("/logging-test/**")
  @Requires(property = ENABLED, value = "true")
  static final class TestAuthentication {
    @RequestFilter
    void authenticate(HttpRequest<?> request) {
      String user = request.getHeaders().get("X-Test-User");
      if (user != null) {
        request.setUserPrincipal(() -> user);
      }
    }
  }

  @Controller("/logging-test")
  @Requires(property = ENABLED, value = "true")
  static final class Routes {
    private static final Logger LOG = LoggerFactory.getLogger(CONTROLLER_LOGGER);

    /** Runs on the event loop. */
    @Get("/hello")
    String hello() {
      LOG.atInfo().addKeyValue("route", "hello").log("in the controller");
      return "hello";
    }

    /** Runs on the blocking executor: the rid must follow it there. */
    @Get("/blocking")
    @ExecuteOn(TaskExecutors.BLOCKING)
    String blocking() {
      LOG.atInfo()
          .addKeyValue("route", "blocking")
          .addKeyValue("thread", Thread.currentThread().getName())
          .log("in the controller");
      return RequestIds.current().orElse("none");
    }

    @Get("/fail")
    String fail() {
      throw new IllegalStateException("the route failed");
    }

    @Get("/fail-blocking")
    @ExecuteOn(TaskExecutors.BLOCKING)
    String failBlocking() {
      throw new IllegalStateException("the blocking route failed");
    }

    @Get("/excluded")
    String excluded() {
      return "not summarised";
    }
  }
}
