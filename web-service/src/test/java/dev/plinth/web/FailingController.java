package dev.plinth.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/** Test-only: an endpoint whose exception no handler knows, to see what a client gets. */
@Requires(property = FailingController.ENABLED, value = "true")
@Controller("/test-only/failing")
@Secured(SecurityRule.IS_ANONYMOUS)
class FailingController {
  static final String ENABLED = "plinth.test.failing-controller";
  static final String INTERNALS = "jdbc:postgresql://db.internal:5432/secret-internals";

  @Get
  String fail() {
    throw new IllegalStateException("lost connection to " + INTERNALS);
  }
}
