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

  private static final TaskOptions DEFAULTS = new Copy(null).build();

  public static TaskOptions defaults() {
    return DEFAULTS;
  }

  public TaskOptions countdown(Duration delay) {
    return eta(Instant.now().plus(delay));
  }

  public TaskOptions eta(Instant at) {
    return with(c -> c.eta = at);
  }

  public TaskOptions maxRetries(int retries) {
    if (retries < 0) {
      throw new IllegalArgumentException("maxRetries >= 0");
    }
    return with(c -> c.maxRetries = retries);
  }

  public TaskOptions backoff(Duration first, double multiplier) {
    if (first.isNegative() || multiplier < 1.0) {
      throw new IllegalArgumentException("backoff >= 0 and multiplier >= 1");
    }
    return with(
        c -> {
          c.backoff = first;
          c.backoffMultiplier = multiplier;
        });
  }

  public TaskOptions timeLimit(Duration limit) {
    return with(c -> c.timeLimit = limit);
  }

  public TaskOptions softTimeLimit(Duration limit) {
    return with(c -> c.softTimeLimit = limit);
  }

  public TaskOptions priority(int value) {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException("priority 0-255");
    }
    return with(c -> c.priority = value);
  }

  public TaskOptions queue(String name) {
    return with(c -> c.queue = name);
  }

  public TaskOptions idempotencyKey(String key) {
    return with(c -> c.idempotencyKey = key);
  }

  private TaskOptions with(java.util.function.Consumer<Copy> change) {
    Copy copy = new Copy(this);
    change.accept(copy);
    return copy.build();
  }

  /** The fields of an options value being changed by one wither. */
  private static final class Copy {
    Instant eta;
    Integer maxRetries;
    Duration backoff;
    Double backoffMultiplier;
    Duration timeLimit;
    Duration softTimeLimit;
    Integer priority;
    String queue;
    String idempotencyKey;

    Copy(TaskOptions from) {
      if (from != null) {
        eta = from.eta;
        maxRetries = from.maxRetries;
        backoff = from.backoff;
        backoffMultiplier = from.backoffMultiplier;
        timeLimit = from.timeLimit;
        softTimeLimit = from.softTimeLimit;
        priority = from.priority;
        queue = from.queue;
        idempotencyKey = from.idempotencyKey;
      }
    }

    TaskOptions build() {
      return new TaskOptions(
          eta,
          maxRetries,
          backoff,
          backoffMultiplier,
          timeLimit,
          softTimeLimit,
          priority,
          queue,
          idempotencyKey);
    }
  }
}
