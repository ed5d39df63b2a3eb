package dev.plinth.platform.tasks;

import java.time.Duration;
import java.time.Instant;

/**
 * Per-enqueue options. Unset (null) fields take the task defaults from {@link TasksConfiguration}.
 * Immutable; build with the withers: {@code TaskOptions.defaults().countdown(Duration.ofSeconds(5))
 * .maxRetries(2)}.
 *
 * @param eta do not run before this instant (Celery's {@code eta}); {@link #countdown} sets it
 * @param maxRetries retries after the first attempt before the task is dead-lettered
 * @param backoff delay before the first retry; each further retry multiplies it by {@code
 *     backoffMultiplier}, capped by the configured maximum
 * @param backoffMultiplier growth of the retry delay
 * @param timeLimit hard time limit of one attempt (Celery's {@code timelimit[0]})
 * @param softTimeLimit when the handler is told to clean up, before the hard limit (Celery's {@code
 *     timelimit[1]}, {@code soft_time_limit}): see {@link TaskContext#softTimeLimitExceeded()}
 * @param priority the message's AMQP priority (0-255), honoured on a priority queue ({@code
 *     plinth.tasks.max-priority}); null is 0
 * @param queue the queue to publish to
 * @param idempotencyKey enqueueing the same task name with the same key twice publishes it once its
 *     first publish was confirmed (an unconfirmed one is published again): the task id derives from
 *     the key; needs {@code plinth.tasks.record-state=true}
 */
public record TaskOptions(
    Instant eta,
    Integer maxRetries,
    Duration backoff,
    Double backoffMultiplier,
    Duration timeLimit,
    Duration softTimeLimit,
    Integer priority,
    String queue,
    String idempotencyKey) {

  private static final TaskOptions DEFAULTS =
      new TaskOptions(null, null, null, null, null, null, null, null, null);

  public static TaskOptions defaults() {
    return DEFAULTS;
  }

  public TaskOptions countdown(Duration delay) {
    return eta(Instant.now().plus(delay));
  }

  public TaskOptions eta(Instant at) {
    return new TaskOptions(
        at,
        maxRetries,
        backoff,
        backoffMultiplier,
        timeLimit,
        softTimeLimit,
        priority,
        queue,
        idempotencyKey);
  }

  public TaskOptions maxRetries(int retries) {
    if (retries < 0) {
      throw new IllegalArgumentException("maxRetries >= 0");
    }
    return new TaskOptions(
        eta,
        retries,
        backoff,
        backoffMultiplier,
        timeLimit,
        softTimeLimit,
        priority,
        queue,
        idempotencyKey);
  }

  public TaskOptions backoff(Duration first, double multiplier) {
    if (first.isNegative() || multiplier < 1.0) {
      throw new IllegalArgumentException("backoff >= 0 and multiplier >= 1");
    }
    return new TaskOptions(
        eta,
        maxRetries,
        first,
        multiplier,
        timeLimit,
        softTimeLimit,
        priority,
        queue,
        idempotencyKey);
  }

  public TaskOptions timeLimit(Duration limit) {
    return new TaskOptions(
        eta,
        maxRetries,
        backoff,
        backoffMultiplier,
        limit,
        softTimeLimit,
        priority,
        queue,
        idempotencyKey);
  }

  public TaskOptions softTimeLimit(Duration limit) {
    return new TaskOptions(
        eta,
        maxRetries,
        backoff,
        backoffMultiplier,
        timeLimit,
        limit,
        priority,
        queue,
        idempotencyKey);
  }

  public TaskOptions priority(int value) {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException("priority 0-255");
    }
    return new TaskOptions(
        eta,
        maxRetries,
        backoff,
        backoffMultiplier,
        timeLimit,
        softTimeLimit,
        value,
        queue,
        idempotencyKey);
  }

  public TaskOptions queue(String name) {
    return new TaskOptions(
        eta,
        maxRetries,
        backoff,
        backoffMultiplier,
        timeLimit,
        softTimeLimit,
        priority,
        name,
        idempotencyKey);
  }

  public TaskOptions idempotencyKey(String key) {
    return new TaskOptions(
        eta,
        maxRetries,
        backoff,
        backoffMultiplier,
        timeLimit,
        softTimeLimit,
        priority,
        queue,
        key);
  }
}
