package dev.plinth.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** Test-only: a request that takes as long as the test asks, to be in flight at a signal. */
@Requires(property = SlowController.ENABLED, value = "true")
@Controller("/test-only/slow")
class SlowController {
  /** Set by the environment variable {@code PLINTH_TEST_SLOW=true}. */
  static final String ENABLED = "plinth.test.slow";

  @Get
  @ExecuteOn(TaskExecutors.BLOCKING)
  String slow(@QueryValue long ms) throws InterruptedException {
    Thread.sleep(ms);
    return "slept " + ms;
  }
}
