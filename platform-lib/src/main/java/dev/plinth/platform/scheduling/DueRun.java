package dev.plinth.platform.scheduling;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * One run of a schedule at one due time: the unit that is published exactly once. Its task id is
 * derived from the schedule and the due time, so a run republished after a crash keeps its id and
 * consumers can tell a repeat.
 */
public record DueRun(
    String schedule, String task, String payload, String queue, Instant dueAt, String taskId) {

  static DueRun of(Schedule schedule, Instant dueAt) {
    return new DueRun(
        schedule.name(),
        schedule.task(),
        schedule.payload(),
        schedule.queue(),
        dueAt,
        taskId(schedule.name(), dueAt));
  }

  /** The task id of the run of {@code schedule} due at {@code dueAt}. */
  public static String taskId(String schedule, Instant dueAt) {
    String key = schedule + "@" + dueAt.toEpochMilli();
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
