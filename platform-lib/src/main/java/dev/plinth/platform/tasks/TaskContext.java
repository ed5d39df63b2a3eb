package dev.plinth.platform.tasks;

/**
 * What a handler knows about the run in progress.
 *
 * @param taskId the task id (Celery's {@code id}), stable across retries: the run id
 * @param name the task name
 * @param attempt 1 for the first run, 2 for the first retry, ...
 * @param maxRetries how many retries this task has in total
 * @param rid the request id of the HTTP request that enqueued it, or null
 */
public record TaskContext(String taskId, String name, int attempt, int maxRetries, String rid) {
  /** True on the last attempt: a failure now dead-letters the task. */
  public boolean lastAttempt() {
    return attempt > maxRetries;
  }
}
