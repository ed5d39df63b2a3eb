package dev.plinth.platform.tasks;

import dev.plinth.platform.tasks.workflow.Workflow;
import dev.plinth.platform.tasks.workflow.WorkflowRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
   * Enqueues one task per payload, all with {@code options}, and returns their ids in order once
   * the broker confirmed every one of them: one wait for all the confirms, and one transaction for
   * their {@code queued} rows, instead of one of each per task. Options may not carry an
   * idempotency key (it names a single task).
   *
   * @throws TaskPublishException when the broker did not confirm them all; some may have been
   *     enqueued nevertheless (they run, and get their run row when they start)
   */
  default <P> List<String> enqueueAll(
      TaskDefinition<P> task, List<P> payloads, TaskOptions options) {
    List<String> ids = new ArrayList<>(payloads.size());
    for (P payload : payloads) {
      ids.add(enqueue(task, payload, options));
    }
    return ids;
  }

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

  /**
   * Starts {@code workflow} (docs/tasks.md, "Workflows"): publishes its first tasks (a chain's
   * first step, a group's members, a chord's header), confirmed, and returns every task's id; the
   * rest go out from the workers as the steps before them succeed. A chord needs run state ({@code
   * plinth.tasks.record-state}), which counts its header.
   *
   * @throws TaskPublishException when the broker did not confirm the first tasks
   */
  WorkflowRun start(Workflow workflow);

  /**
   * Starts a chain or a chord and waits for its last task's result (a chain's last step, a chord's
   * body), as Celery's {@code AsyncResult.get()} does.
   *
   * @throws TaskCallException when a step failed for good (a chord's body: {@code ChordError}), or
   *     no reply came in time
   */
  <R> R call(Workflow workflow, Class<R> resultType, Duration timeout);

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
