package dev.plinth.platform.tasks.workflow;

import dev.plinth.platform.tasks.TaskDefinition;
import dev.plinth.platform.tasks.TaskOptions;
import java.util.Objects;

/**
 * One task call of a workflow, Celery's signature: the task, its payload and its options. In a
 * chain (and as a chord's body) a step gets the result before it as its first argument: the first
 * component of its payload record, left null in {@code payload}; {@link #asImmutable()} (Celery's
 * {@code si()}) keeps its payload as given.
 *
 * @param <P> the payload type
 * @param task the task to run
 * @param payload its payload
 * @param options its options (queue, eta, limits, priority, retries); no idempotency key
 * @param immutable true when the result before it is not prepended
 */
public record Signature<P>(
    TaskDefinition<P> task, P payload, TaskOptions options, boolean immutable) {
  public Signature {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(options, "options");
    if (options.idempotencyKey() != null) {
      throw new IllegalArgumentException(
          "a workflow step has no idempotency key: its id is the workflow's");
    }
  }

  /** {@code task} with {@code payload} and the default options. */
  public static <P> Signature<P> of(TaskDefinition<P> task, P payload) {
    return new Signature<>(task, payload, TaskOptions.defaults(), false);
  }

  /** This call with {@code value} as its options. */
  public Signature<P> options(TaskOptions value) {
    return new Signature<>(task, payload, value, immutable);
  }

  /** This call, not given the result before it (Celery's {@code si()}). */
  public Signature<P> asImmutable() {
    return new Signature<>(task, payload, options, true);
  }
}
