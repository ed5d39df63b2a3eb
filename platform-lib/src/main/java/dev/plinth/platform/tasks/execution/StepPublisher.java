package dev.plinth.platform.tasks.execution;

import dev.plinth.platform.tasks.protocol.CeleryCanvas;
import java.io.IOException;
import java.util.Map;

/** Where a run's canvas steps go: the broker, when there is one. */
public interface StepPublisher {
  /** Publishes {@code step} and returns once it is confirmed. */
  void publish(CeleryCanvas.Step step) throws IOException;

  /** Replies FAILURE ({@code reason}) to each waiting task id, at its {@code reply_to}. */
  void fail(Map<String, String> waiting, String reason) throws IOException;
}
