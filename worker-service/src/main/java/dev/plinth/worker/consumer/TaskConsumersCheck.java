package dev.plinth.worker.consumer;

import dev.plinth.platform.dockerflow.CheckMessage;
import dev.plinth.platform.dockerflow.HealthCheck;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.List;

/** Heartbeat (WORKER): a consumer is attached to every task queue. */
@Singleton
@Requires(beans = TaskWorker.class)
public class TaskConsumersCheck implements HealthCheck {
  /** The check's name under {@code checks} in {@code /__heartbeat__}. */
  public static final String NAME = "task_consumers";

  public static final String NO_CONSUMER = "plinth.task_consumers.E001";

  private final TaskWorker worker;

  public TaskConsumersCheck(TaskWorker worker) {
    this.worker = worker;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<CheckMessage> run() {
    if (worker.consuming()) {
      return List.of();
    }
    return List.of(
        CheckMessage.error(NO_CONSUMER, "not consuming every task queue " + worker.queues()));
  }
}
