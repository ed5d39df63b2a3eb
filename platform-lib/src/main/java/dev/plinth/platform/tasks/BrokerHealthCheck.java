package dev.plinth.platform.tasks;

import dev.plinth.platform.dockerflow.CheckMessage;
import dev.plinth.platform.dockerflow.HealthCheck;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.List;

/** Heartbeat: the task broker is reachable (opens the publishing connection if none is open). */
@Singleton
@Requires(beans = BrokerClient.class)
public class BrokerHealthCheck implements HealthCheck {
  private final BrokerClient broker;

  public BrokerHealthCheck(BrokerClient broker) {
    this.broker = broker;
  }

  @Override
  public String name() {
    return "broker";
  }

  @Override
  public List<CheckMessage> run() {
    try {
      if (broker.publisherConnection().isOpen() && broker.connected()) {
        return List.of();
      }
      return List.of(CheckMessage.error("plinth.broker.E001", "RabbitMQ connection is down"));
    } catch (RuntimeException e) {
      return List.of(CheckMessage.error("plinth.broker.E002", "RabbitMQ is unreachable"));
    }
  }
}
