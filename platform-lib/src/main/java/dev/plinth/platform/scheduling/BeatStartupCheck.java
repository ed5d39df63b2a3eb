package dev.plinth.platform.scheduling;

import dev.plinth.platform.config.ConfigurationError;
import dev.plinth.platform.tasks.TasksConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;

/**
 * BEAT's settings that only hold together: checked when the context starts, so a contradiction
 * stops start-up with one line instead of losing or doubling runs later.
 */
@Context
@Requires(property = "plinth.beat.enabled", value = "true")
class BeatStartupCheck {
  BeatStartupCheck(BeatProperties beat, TasksConfiguration tasks) {
    ConfigurationError error = check(beat, tasks);
    if (error != null) {
      // Micronaut logs a bean's failure wrapped in its own trace and exits: the contract's one
      // line goes to stderr first, as PlinthApplication prints a bad variable's.
      System.err.println(error.toStartupLine());
      throw error;
    }
  }

  static ConfigurationError check(BeatProperties beat, TasksConfiguration tasks) {
    // A run is retried after retry-after: its first publisher must have had its confirm (or given
    // up) by then, or two replicas publish the same run at once.
    if (tasks.getConfirmTimeout().compareTo(beat.getRetryAfter()) >= 0) {
      return new ConfigurationError(
          "plinth.tasks.confirm-timeout",
          "a duration shorter than plinth.beat.retry-after ("
              + tasks.getConfirmTimeout()
              + " >= "
              + beat.getRetryAfter()
              + ")");
    }
    // BEAT's exactly-once rests on idempotency keys, and those live in the run rows.
    if (!tasks.isRecordState()) {
      return new ConfigurationError(
          "plinth.tasks.record-state", "true: BEAT publishes with idempotency keys");
    }
    return null;
  }
}
