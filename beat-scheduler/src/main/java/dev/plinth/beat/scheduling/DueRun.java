package dev.plinth.beat.scheduling;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * One run of a schedule at one due time: the unit that is published exactly once. It is enqueued
 * with an idempotency key made of the schedule and the due time, so its task id is derived from
 * them: a run published again after a crash keeps its id, and the task API does not publish an id
 * it has already recorded as confirmed by the broker (an unconfirmed one it publishes again).
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
        taskId(schedule.task(), schedule.name(), dueAt));
  }

  /** The idempotency key of the run: the task API derives the task id from it. */
  public String idempotencyKey() {
    return idempotencyKey(schedule, dueAt);
  }

  static String idempotencyKey(String schedule, Instant dueAt) {
    return schedule + "@" + dueAt.toEpochMilli();
  }

  /**
   * The task id of the run of {@code schedule} (publishing {@code task}) due at {@code dueAt}: the
   * id the task API gives an enqueue with this run's idempotency key.
   */
  public static String taskId(String task, String schedule, Instant dueAt) {
    String key = task + "\0" + idempotencyKey(schedule, dueAt);
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
