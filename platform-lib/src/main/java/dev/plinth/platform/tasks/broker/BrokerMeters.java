package dev.plinth.platform.tasks.broker;

import com.rabbitmq.client.impl.MicrometerMetricsCollector;
import dev.plinth.platform.config.PlinthProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.rabbitmq.connect.RabbitConnectionFactoryConfig;
import jakarta.inject.Singleton;

/**
 * The AMQP client's own meters ({@code rabbitmq_connections}, {@code rabbitmq_published}, {@code
 * rabbitmq_acknowledged}, ...) per named connection, with a {@code connection} tag. Instead of
 * micronaut-rabbitmq's binder ({@code micronaut.metrics.binders.rabbitmq.enabled=false} in
 * plinth-defaults), which gives both connections the same tags: the second one's gauges were then
 * refused, with a warning at every start.
 */
@Singleton
@Requires(property = PlinthProperties.BROKER_HOST)
@Requires(beans = MeterRegistry.class)
class BrokerMeters implements BeanCreatedEventListener<RabbitConnectionFactoryConfig> {
  private final BeanProvider<MeterRegistry> registry;

  BrokerMeters(BeanProvider<MeterRegistry> registry) {
    this.registry = registry;
  }

  @Override
  public RabbitConnectionFactoryConfig onCreated(
      BeanCreatedEvent<RabbitConnectionFactoryConfig> event) {
    RabbitConnectionFactoryConfig factory = event.getBean();
    factory.setMetricsCollector(
        new MicrometerMetricsCollector(
            registry.get(), "rabbitmq", Tags.of("connection", factory.getName())));
    return factory;
  }
}
