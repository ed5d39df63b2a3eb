package dev.plinth.platform.sentry;

import dev.plinth.platform.config.PlinthSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** Fails the way careless code does: with a secret in the message. Only in Sentry tests. */
@Controller("/test/sentry")
@Requires(property = "plinth.test.failing-controller", value = "true")
final class FailingController {
  private final PlinthSettings settings;

  FailingController(PlinthSettings settings) {
    this.settings = settings;
  }

  @Get("/boom")
  String boom() {
    throw new IllegalStateException(
        "signing failed with key " + settings.secretKey().reveal() + " for this request");
  }
}
