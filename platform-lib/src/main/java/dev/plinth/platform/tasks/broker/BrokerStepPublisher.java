package dev.plinth.platform.tasks.broker;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.tasks.TasksConfiguration;
import dev.plinth.platform.tasks.execution.StepPublisher;
import dev.plinth.platform.tasks.protocol.CeleryCanvas;
import dev.plinth.platform.tasks.protocol.CeleryProtocol;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Map;

/**
 * Publishes a run's canvas steps on the broker, each confirmed before it returns, so that the
 * message that asked for them is acknowledged only after they are safe; and fails the callers of a
 * workflow the worker cannot carry on.
 */
@Singleton
@Requires(property = PlinthProperties.BROKER_HOST)
final class BrokerStepPublisher implements StepPublisher {
  private final BrokerClient broker;
  private final CeleryProtocol protocol;
  private final TasksConfiguration configuration;

  BrokerStepPublisher(
      BrokerClient broker, CeleryProtocol protocol, TasksConfiguration configuration) {
    this.broker = broker;
    this.protocol = protocol;
    this.configuration = configuration;
  }

  @Override
  public void publish(CeleryCanvas.Step step) throws IOException {
    String queue = step.queue() == null ? configuration.getDefaultQueue() : step.queue();
    broker.publishTask(queue, protocol.encode(step.message()), step.message().eta());
  }

  @Override
  public void fail(Map<String, String> waiting, String excType, String reason) throws IOException {
    for (Map.Entry<String, String> caller : waiting.entrySet()) {
      broker.reply(
          caller.getValue(),
          protocol.failureReply(
              caller.getKey(), "FAILURE", excType, StepPublisher.module(excType), reason, null));
    }
  }
}
