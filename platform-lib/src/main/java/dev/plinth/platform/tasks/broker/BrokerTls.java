package dev.plinth.platform.tasks.broker;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.config.PlinthSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.rabbitmq.connect.RabbitConnectionFactoryConfig;
import jakarta.inject.Singleton;

/**
 * AMQP over TLS when {@code RABBITMQ_TLS} is on (implied by port 5671): both connections verify the
 * broker's certificate against the trust bundle and its name against the host they dial.
 * micronaut-rabbitmq binds no TLS settings of its own, so the context goes onto its connection
 * factories as they are made.
 */
@Singleton
@Requires(property = PlinthProperties.BROKER_HOST)
class BrokerTls implements BeanCreatedEventListener<RabbitConnectionFactoryConfig> {
  private final PlinthSettings settings;

  BrokerTls(PlinthSettings settings) {
    this.settings = settings;
  }

  @Override
  public RabbitConnectionFactoryConfig onCreated(
      BeanCreatedEvent<RabbitConnectionFactoryConfig> event) {
    RabbitConnectionFactoryConfig factory = event.getBean();
    if (settings.rabbitMq().map(PlinthSettings.RabbitMq::tls).orElse(false)) {
      factory.useSslProtocol(settings.trust().sslContext());
      factory.enableHostnameVerification();
    }
    return factory;
  }
}
