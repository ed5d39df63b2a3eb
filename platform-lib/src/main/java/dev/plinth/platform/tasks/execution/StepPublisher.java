package dev.plinth.platform.tasks.execution;

import dev.plinth.platform.tasks.protocol.CeleryCanvas;
import java.io.IOException;
import java.util.Map;

/** Where a run's canvas steps go: the broker, or the in-process queue without one. */
public interface StepPublisher {
  /** Publishes {@code step} and returns once it is confirmed. */
  void publish(CeleryCanvas.Step step) throws IOException;

  /**
   * Replies FAILURE ({@code excType}, a Python built-in or a Celery exception name, and {@code
   * reason}) to each waiting task id, at its {@code reply_to}.
   */
  void fail(Map<String, String> waiting, String excType, String reason) throws IOException;

  /** Where a Python caller finds {@code excType}: Celery's own errors, else the built-ins. */
  static String module(String excType) {
    return excType.equals("ChordError") ? "celery.exceptions" : "builtins";
  }
}
