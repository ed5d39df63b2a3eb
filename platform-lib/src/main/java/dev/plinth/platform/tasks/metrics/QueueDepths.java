package dev.plinth.platform.tasks.metrics;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.tasks.TasksConfiguration;
import dev.plinth.platform.tasks.broker.BrokerClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Each task queue's depth and consumers, and its dead-letter queue's depth, as the broker counts
 * them: {@code plinth.task.queue.messages{queue, state=ready|dead}} and {@code
 * plinth.task.queue.consumers{queue}}. Read by passive declares on a channel of this meter's own,
 * at most once per {@code plinth.tasks.depth-cache} (10 s) for all queues, however often the scrape
 * comes; NaN while the broker or a queue is not there.
 */
@Singleton
@Requires(property = PlinthProperties.BROKER_HOST)
@Requires(property = PlinthProperties.TASKS_ENABLED, notEquals = "false")
@Requires(classes = MeterBinder.class)
public class QueueDepths implements MeterBinder {
  // Lazily: the broker client's own meters need the registry this binder is building.
  private final BeanProvider<BrokerClient> broker;
  private final TasksConfiguration configuration;
  private final long cacheNanos;
  private Map<String, Double> values = Map.of();
  private long readAt;
  private Channel channel;

  public QueueDepths(
      BeanProvider<BrokerClient> broker,
      TasksConfiguration configuration,
      @Value("${" + PlinthProperties.TASKS + ".depth-cache:10s}") Duration cache) {
    this.broker = broker;
    this.configuration = configuration;
    this.cacheNanos = cache.toNanos();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (String queue : configuration.getQueues()) {
      gauge(registry, "plinth.task.queue.messages", queue, "state", "ready", queue + ":ready");
      gauge(registry, "plinth.task.queue.messages", queue, "state", "dead", queue + ":dead");
      Gauge.builder("plinth.task.queue.consumers", this, d -> d.value(queue + ":consumers"))
          .tag("queue", queue)
          .register(registry);
    }
  }

  private void gauge(
      MeterRegistry registry, String name, String queue, String tag, String value, String key) {
    Gauge.builder(name, this, d -> d.value(key))
        .tags("queue", queue, tag, value)
        .register(registry);
  }

  private synchronized double value(String key) {
    if (System.nanoTime() - readAt > cacheNanos || values.isEmpty()) {
      values = read();
      readAt = System.nanoTime();
    }
    return values.getOrDefault(key, Double.NaN);
  }

  private Map<String, Double> read() {
    Map<String, Double> read = new HashMap<>();
    for (String queue : configuration.getQueues()) {
      try {
        AMQP.Queue.DeclareOk ready = channel().queueDeclarePassive(queue);
        read.put(queue + ":ready", (double) ready.getMessageCount());
        read.put(queue + ":consumers", (double) ready.getConsumerCount());
        read.put(
            queue + ":dead",
            (double)
                channel()
                    .queueDeclarePassive(BrokerClient.deadLetterQueue(queue))
                    .getMessageCount());
      } catch (Exception e) {
        // The broker or the queue is not there (a 404 closes the channel): NaN until it is.
        channel = null;
      }
    }
    return read;
  }

  private Channel channel() throws java.io.IOException {
    if (channel == null || !channel.isOpen()) {
      channel = broker.get().publisherConnection().createChannel();
    }
    return channel;
  }

  @PreDestroy
  synchronized void close() {
    if (channel != null && channel.isOpen()) {
      try {
        channel.close();
      } catch (Exception e) {
        // closing is best effort; the connection closes after us
      }
    }
  }
}
