package dev.plinth.platform.tasks.execution;

import dev.plinth.platform.tasks.protocol.CeleryCanvas;
import dev.plinth.platform.tasks.protocol.TaskMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's canvas steps (docs/tasks.md, "Canvas"), published before the run's own state is recorded,
 * so that a step that cannot be published sends the message round again rather than leaving the
 * workflow stopped: a chain's next step and the links after a success, the link_errors after a
 * failure for good.
 */
final class WorkflowSteps {
  private static final Logger LOG = LoggerFactory.getLogger(TaskExecution.class);

  private final CeleryCanvas canvas;
  private final StepPublisher steps;

  WorkflowSteps(CeleryCanvas canvas, StepPublisher steps) {
    this.canvas = canvas;
    this.steps = steps;
  }

  /** Publishes the chain's next step and the link callbacks of a success, each confirmed. */
  void afterSuccess(TaskMessage message, Object result) throws IOException {
    if (CeleryCanvas.hasSteps(message)) {
      try {
        publish(canvas.afterSuccess(message, result));
      } catch (CeleryCanvas.UnsupportedStep e) {
        unsupported(e);
      }
    }
  }

  /**
   * Publishes the link_error signatures of a run that failed for good; a failure to publish is
   * thrown before the run is recorded dead, so the message goes back to the broker.
   */
  void afterFailure(TaskMessage message) {
    if (CeleryCanvas.hasSteps(message)) {
      try {
        publish(canvas.afterFailure(message));
      } catch (CeleryCanvas.UnsupportedStep e) {
        unsupported(e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void publish(List<CeleryCanvas.Step> next) throws IOException {
    if (steps == null) {
      throw new IOException("canvas steps need a broker (RABBITMQ_HOST): " + next.size() + " left");
    }
    for (CeleryCanvas.Step step : next) {
      steps.publish(step);
    }
  }

  // The run itself stands; its workflow cannot go on here: the callers waiting on the rest hear
  // so, rather than waiting for ever.
  private void unsupported(CeleryCanvas.UnsupportedStep e) {
    LOG.error("task workflow stopped: {}", e.getMessage());
    if (steps != null) {
      try {
        steps.fail(e.waiting(), e.getMessage());
      } catch (IOException failed) {
        LOG.atWarn().setCause(failed).log("task workflow's callers not told it stopped");
      }
    }
  }
}
