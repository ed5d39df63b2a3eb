package dev.plinth.platform.tasks.broker;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.ReflectiveAccess;
import io.micronaut.rabbitmq.connect.RabbitConnectionFactoryConfig;
import io.micronaut.rabbitmq.connect.recovery.TemporarilyDownConnection;
import io.micronaut.rabbitmq.connect.recovery.TemporarilyDownConnectionManager;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;

/**
 * A first connection the broker refuses fails the call that asked for it; the next call connects
 * anew ({@link BrokerClient}). Replaces micronaut-rabbitmq's placeholder for such a connection,
 * which retries once a minute only and throws from the methods the module's own shutdown calls (one
 * logged error per executor at every stop). A connection once made still recovers by the client's
 * automatic recovery.
 */
// Reflective: the inherited once-a-minute check is package-private in micronaut-rabbitmq.
@ReflectiveAccess
@Singleton
@Replaces(TemporarilyDownConnectionManager.class)
@Requires(property = PlinthProperties.BROKER_HOST)
class RefusedConnections extends TemporarilyDownConnectionManager {
  @Override
  public TemporarilyDownConnection newConnection(
      RabbitConnectionFactoryConfig factory, ExecutorService executor) {
    throw new IllegalStateException("connection refused");
  }
}
