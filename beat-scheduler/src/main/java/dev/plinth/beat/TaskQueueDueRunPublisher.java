package dev.plinth.beat;

import dev.plinth.beat.scheduling.DueRun;
import dev.plinth.beat.scheduling.DueRunPublisher;
import dev.plinth.platform.tasks.TaskDefinition;
import dev.plinth.platform.tasks.TaskOptions;
import dev.plinth.platform.tasks.TaskQueue;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

/**
 * BEAT publishes through the task API: a Celery protocol v2 message, persistent, returned once the
 * broker confirmed it (the API throws otherwise, and the run is retried).
 */
@Singleton
class TaskQueueDueRunPublisher implements DueRunPublisher {
  private final TaskQueue tasks;
  private final JsonMapper json;

  TaskQueueDueRunPublisher(TaskQueue tasks, JsonMapper json) {
    this.tasks = tasks;
    this.json = json;
  }

  @Override
  public void publish(DueRun run) throws Exception {
    JsonNode payload = json.readValue(run.payload(), JsonNode.class);
    String id =
        tasks.enqueue(
            TaskDefinition.of(run.task(), JsonNode.class),
            payload,
            TaskOptions.defaults().idempotencyKey(run.idempotencyKey()).queue(run.queue()));
    if (!id.equals(run.taskId())) {
      throw new IllegalStateException(
          "the task API gave run " + run.idempotencyKey() + " id " + id + ", not " + run.taskId());
    }
  }
}
