package dev.plinth.platform.tasks.queue;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.tasks.TasksConfiguration;
import dev.plinth.platform.tasks.execution.StepPublisher;
import dev.plinth.platform.tasks.protocol.CeleryCanvas;
import dev.plinth.platform.tasks.protocol.CeleryProtocol;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Map;

/**
 * The embedded default's canvas steps: queued in this process, so that workflows run without a
 * broker as they do with one. The queue is looked up when a step is published, since it runs the
 * execution that publishes the steps.
 */
@Singleton
@Requires(missingProperty = PlinthProperties.BROKER_HOST)
@Requires(property = PlinthProperties.TASKS_ENABLED, notEquals = "false")
final class InProcessStepPublisher implements StepPublisher {
  private final BeanProvider<InProcessTaskQueue> queue;
  private final CeleryProtocol protocol;
  private final TasksConfiguration configuration;

  InProcessStepPublisher(
      BeanProvider<InProcessTaskQueue> queue,
      CeleryProtocol protocol,
      TasksConfiguration configuration) {
    this.queue = queue;
    this.protocol = protocol;
    this.configuration = configuration;
  }

  @Override
  public void publish(CeleryCanvas.Step step) {
    queue
        .get()
        .dispatch(
            step.queue() == null ? configuration.getDefaultQueue() : step.queue(), step.message());
  }

  @Override
  public void fail(Map<String, String> waiting, String excType, String reason) throws IOException {
    for (String taskId : waiting.keySet()) {
      CeleryProtocol.Encoded reply =
          protocol.failureReply(
              taskId, "FAILURE", excType, StepPublisher.module(excType), reason, null);
      queue.get().replied(taskId, protocol.decodeReply(reply.body()));
    }
  }
}
