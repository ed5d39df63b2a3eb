package dev.plinth.beat.scheduling;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A periodic task: publish {@code task} with {@code payload} (a JSON object of keyword arguments)
 * whenever {@code trigger} falls due. Declare one in code as a bean, or in configuration under
 * {@code plinth.beat.schedules.<name>}.
 *
 * @param queue the queue to publish to; null for the task API's default routing
 */
public record Schedule(
    String name,
    String task,
    String payload,
    String queue,
    ScheduleTrigger trigger,
    boolean enabled,
    MisfirePolicy misfire) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._\\-]{1,150}");

  public Schedule {
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(misfire, "misfire");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "schedule name '" + name + "' must be 1-150 letters, digits, '.', '_' or '-'");
    }
    if (task == null || task.isBlank()) {
      throw new IllegalArgumentException("schedule " + name + " has no task");
    }
    payload = payload == null || payload.isBlank() ? "{}" : payload.strip();
    if (!payload.startsWith("{") || !payload.endsWith("}")) {
      throw new IllegalArgumentException(
          "schedule " + name + ": payload must be a JSON object of keyword arguments");
    }
  }

  /** A schedule every {@code interval}, aligned to the epoch, with an empty payload. */
  public static Schedule every(String name, String task, Duration interval) {
    return new Schedule(
        name,
        task,
        "{}",
        null,
        new ScheduleTrigger.Interval(interval),
        true,
        MisfirePolicy.RUN_ONCE);
  }

  /** A schedule on a five-field cron expression in {@code zone}, with an empty payload. */
  public static Schedule cron(String name, String task, String cron, ZoneId zone) {
    return new Schedule(
        name,
        task,
        "{}",
        null,
        new ScheduleTrigger.Cron(CronExpression.parse(cron), zone),
        true,
        MisfirePolicy.RUN_ONCE);
  }

  public Schedule withPayload(String json) {
    return new Schedule(name, task, json, queue, trigger, enabled, misfire);
  }

  public Schedule withQueue(String queueName) {
    return new Schedule(name, task, payload, queueName, trigger, enabled, misfire);
  }

  public Schedule withEnabled(boolean on) {
    return new Schedule(name, task, payload, queue, trigger, on, misfire);
  }

  public Schedule withMisfire(MisfirePolicy policy) {
    return new Schedule(name, task, payload, queue, trigger, enabled, policy);
  }
}
