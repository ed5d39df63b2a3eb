package dev.plinth.platform.tasks;

import java.time.Duration;

/**
 * Enqueues tasks: on RabbitMQ when {@code RABBITMQ_HOST} is set (returns after the broker confirmed
 * the message), in process otherwise. Inject it in any mode.
 */
public interface TaskQueue {
  /** Enqueues with the default options; returns the task id, which is also the run id. */
  default <P> String enqueue(TaskDefinition<P> task, P payload) {
    return enqueue(task, payload, TaskOptions.defaults());
  }

  /**
   * Enqueues with {@code options}. With an idempotency key, a second enqueue of the same name and
   * key returns the first one's id and publishes nothing.
   *
   * @throws TaskPublishException when the broker did not confirm the message
   */
  <P> String enqueue(TaskDefinition<P> task, P payload, TaskOptions options);

  /**
   * Runs the task and waits for its result (Celery's {@code rpc://} reply).
   *
   * @throws TaskCallException when the task failed (dead-lettered) or no reply came in time
   */
  default <P, R> R call(TaskDefinition<P> task, P payload, Class<R> resultType, Duration timeout) {
    return call(task, payload, resultType, timeout, TaskOptions.defaults());
  }

  /** {@link #call(TaskDefinition, Object, Class, Duration)} with options (queue, time limit...). */
  <P, R> R call(
      TaskDefinition<P> task,
      P payload,
      Class<R> resultType,
      Duration timeout,
      TaskOptions options);

  /** The broker did not take the message. Nothing was enqueued. */
  final class TaskPublishException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TaskPublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** An RPC call failed: {@link #excType()} is Celery's {@code exc_type}, or "Timeout". */
  final class TaskCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String excType;

    public TaskCallException(String excType, String message) {
      super(excType + ": " + message);
      this.excType = excType;
    }

    public String excType() {
      return excType;
    }

    public boolean timedOut() {
      return "Timeout".equals(excType);
    }
  }
}
