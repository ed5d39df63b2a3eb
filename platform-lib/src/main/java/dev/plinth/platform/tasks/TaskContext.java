package dev.plinth.platform.tasks;

/**
 * What a handler knows about the run in progress.
 *
 * @param taskId the task id (Celery's {@code id}), stable across retries: the run id
 * @param name the task name
 * @param attempt 1 for the first run, 2 for the first retry, ...
 * @param maxRetries how many retries this task has in total
 * @param rid the request id of the HTTP request that enqueued it, or null
 * @param softLimit whether the attempt's soft time limit has passed
 * @param uid on whose behalf it runs: the authenticated user who enqueued it (or whose task did),
 *     or null
 */
public record TaskContext(
    String taskId,
    String name,
    int attempt,
    int maxRetries,
    String rid,
    SoftLimit softLimit,
    String uid) {
  /** Whether an attempt's soft time limit has passed. */
  @FunctionalInterface
  public interface SoftLimit {
    /** An attempt without a soft limit. */
    SoftLimit NONE = () -> false;

    boolean passed();
  }

  /** A context without a soft time limit. */
  public TaskContext(String taskId, String name, int attempt, int maxRetries, String rid) {
    this(taskId, name, attempt, maxRetries, rid, SoftLimit.NONE, null);
  }

  /** True on the last attempt: a failure now dead-letters the task. */
  public boolean lastAttempt() {
    return attempt > maxRetries;
  }

  /**
   * True once the soft time limit (Celery's {@code timelimit[1]}, {@code soft_time_limit}) has
   * passed: the handler was interrupted then, once, and has until the hard limit to clean up.
   */
  public boolean softTimeLimitExceeded() {
    return softLimit.passed();
  }

  /**
   * Throws once the soft time limit has passed: a check a handler may call between steps.
   *
   * @throws SoftTimeLimitExceededException when it has
   */
  public void checkSoftTimeLimit() throws SoftTimeLimitExceededException {
    if (softLimit.passed()) {
      throw new SoftTimeLimitExceededException();
    }
  }
}
