package dev.plinth.worker.consumer;

import dev.plinth.platform.dockerflow.CheckMessage;
import dev.plinth.platform.dockerflow.HealthCheck;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.List;

/** Heartbeat (WORKER): a consumer is attached to every task queue. */
@Singleton
@Requires(beans = TaskWorker.class)
public class TaskConsumersHealthCheck implements HealthCheck {
  private final TaskWorker worker;

  public TaskConsumersHealthCheck(TaskWorker worker) {
    this.worker = worker;
  }

  @Override
  public String name() {
    return "task_consumers";
  }

  @Override
  public List<CheckMessage> run() {
    if (worker.consuming()) {
      return List.of();
    }
    return List.of(
        CheckMessage.error(
            "plinth.task_consumers.E001", "not consuming every task queue " + worker.queues()));
  }
}
