package dev.plinth.platform.tasks;

/**
 * Runs one task. Declare an implementation as a bean; the worker (or the in-process queue) finds it
 * by {@link TaskDefinition#name()}. A message is acknowledged only after {@link #run} returned and
 * its state was recorded, so a killed worker makes the broker deliver it again: make the effect
 * idempotent (a unique key, an upsert).
 *
 * @param <P> the payload type
 */
public interface TaskHandler<P> {
  TaskDefinition<P> definition();

  /**
   * Does the work. Throwing retries the task with backoff until its maximum, then dead-letters it.
   * The return value is the RPC result (serialised to JSON); return {@code null} for none.
   */
  Object run(P payload, TaskContext context) throws Exception;
}
