package dev.plinth.platform.tasks.broker;

import dev.plinth.platform.dockerflow.CheckIds;
import dev.plinth.platform.dockerflow.CheckMessage;
import dev.plinth.platform.dockerflow.HealthCheck;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.List;

/** Heartbeat: the task broker is reachable (opens the publishing connection if none is open). */
@Singleton
@Requires(beans = BrokerClient.class)
public class BrokerCheck implements HealthCheck {
  private final BrokerClient broker;

  public BrokerCheck(BrokerClient broker) {
    this.broker = broker;
  }

  @Override
  public String name() {
    return CheckIds.BROKER;
  }

  @Override
  public List<CheckMessage> run() {
    try {
      if (broker.publisherConnection().isOpen() && broker.connected()) {
        return List.of();
      }
      return List.of(CheckMessage.error(CheckIds.BROKER_DOWN, "RabbitMQ connection is down"));
    } catch (RuntimeException e) {
      return List.of(CheckMessage.error(CheckIds.BROKER_UNREACHABLE, "RabbitMQ is unreachable"));
    }
  }
}
