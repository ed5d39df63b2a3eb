package dev.plinth.web;

import dev.plinth.platform.session.SessionRotation;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** Test-only: stands for a log-in, which changes the session's privilege and so rotates its id. */
@Requires(property = RotatingController.ENABLED, value = "true")
@Controller("/test-only/rotate")
class RotatingController {
  static final String ENABLED = "plinth.test.rotating-controller";

  private final SessionRotation rotation;

  RotatingController(SessionRotation rotation) {
    this.rotation = rotation;
  }

  @Post
  @ExecuteOn(TaskExecutors.BLOCKING)
  String rotate(HttpRequest<?> request) {
    rotation.rotate(request);
    return "rotated";
  }
}
