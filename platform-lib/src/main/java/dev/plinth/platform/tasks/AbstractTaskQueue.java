package dev.plinth.platform.tasks;

import dev.plinth.platform.logging.RequestIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** What both task queues share: building the message from the options, idempotency, state. */
abstract class AbstractTaskQueue implements TaskQueue {
  protected final TaskExecution execution;
  protected final TasksConfiguration configuration;

  AbstractTaskQueue(TaskExecution execution, TasksConfiguration configuration) {
    this.execution = execution;
    this.configuration = configuration;
  }

  @Override
  public <P> String enqueue(TaskDefinition<P> task, P payload, TaskOptions options) {
    return submit(task, payload, options, null, null).id();
  }

  /** Builds, records as queued and dispatches; returns the message sent. */
  protected <P> TaskMessage submit(
      TaskDefinition<P> task, P payload, TaskOptions options, String replyTo, String presetId) {
    String id =
        presetId != null
            ? presetId
            : options.idempotencyKey() == null
                ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes(
                        (task.name() + "\0" + options.idempotencyKey())
                            .getBytes(StandardCharsets.UTF_8))
                    .toString();
    String queue = options.queue() == null ? configuration.getDefaultQueue() : options.queue();
    TaskMessage message;
    try {
      TaskMessage base =
          execution
              .protocol()
              .newMessage(
                  id, task.name(), payload, RequestIds.current().orElse(null), replyTo, null);
      message =
          new TaskMessage(
              base.id(),
              base.name(),
              base.args(),
              base.kwargs(),
              base.embed(),
              0,
              options.eta(),
              null,
              options.timeLimit() == null ? null : options.timeLimit().toMillis() / 1000.0,
              base.rid(),
              replyTo,
              replyTo == null,
              base.rootId(),
              null,
              options.maxRetries(),
              options.backoff() == null ? null : options.backoff().toMillis(),
              options.backoffMultiplier(),
              base.enqueuedAt());
    } catch (IOException e) {
      throw new IllegalArgumentException("payload of " + task.name() + " is not serialisable", e);
    }
    boolean fresh = execution.runs().queued(id, task.name(), message.rid(), Instant.now());
    if (!fresh && options.idempotencyKey() != null) {
      return message;
    }
    try {
      dispatch(queue, message);
    } catch (RuntimeException e) {
      execution.runs().forget(id);
      throw e;
    }
    return message;
  }

  protected abstract void dispatch(String queue, TaskMessage message);
}
