package dev.plinth.beat.scheduling;

import dev.plinth.platform.config.ConfigurationError;
import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.tasks.TaskRegistry;
import dev.plinth.platform.tasks.TasksConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import java.util.Set;

/**
 * BEAT's settings that only hold together: checked when the context starts, so a contradiction
 * stops start-up with one line instead of losing or doubling runs later.
 */
@Context
@Requires(property = BeatConfiguration.ENABLED, notEquals = "false")
class BeatStartupCheck {
  BeatStartupCheck(
      BeatConfiguration beat,
      TasksConfiguration tasks,
      ScheduleRegistry schedules,
      @Nullable TaskRegistry handlers) {
    // PlinthApplication prints the one line, as it prints a bad variable's.
    ConfigurationError error = check(beat, tasks);
    if (error == null) {
      error = unhandled(schedules, handlers == null ? Set.of() : handlers.names(), beat);
    }
    if (error != null) {
      throw error;
    }
  }

  /**
   * The first enabled schedule whose task nothing serves: no handler in this service and not listed
   * as external. Every tick of it would only make a dead letter.
   */
  static ConfigurationError unhandled(
      ScheduleRegistry schedules, Set<String> handled, BeatConfiguration beat) {
    for (Schedule schedule : schedules.enabled()) {
      if (!handled.contains(schedule.task())
          && !beat.getExternalTasks().contains(schedule.task())) {
        return new ConfigurationError(
            BeatConfiguration.SCHEDULES + "." + schedule.name() + ".task",
            "a task with a handler in this service, or one listed in plinth.beat.external-tasks,"
                + " but got '"
                + schedule.task()
                + "'");
      }
    }
    return null;
  }

  static ConfigurationError check(BeatConfiguration beat, TasksConfiguration tasks) {
    // A run is retried after retry-after: its first publisher must have had its confirm (or given
    // up) by then, or two replicas publish the same run at once.
    if (tasks.getConfirmTimeout().compareTo(beat.getRetryAfter()) >= 0) {
      return new ConfigurationError(
          PlinthProperties.TASKS_CONFIRM_TIMEOUT,
          "a duration shorter than plinth.beat.retry-after ("
              + tasks.getConfirmTimeout()
              + " >= "
              + beat.getRetryAfter()
              + ")");
    }
    // BEAT's exactly-once rests on idempotency keys, and those live in the run rows.
    if (!tasks.isRecordState()) {
      return new ConfigurationError(
          PlinthProperties.TASKS_RECORD_STATE, "true: BEAT publishes with idempotency keys");
    }
    return null;
  }
}
