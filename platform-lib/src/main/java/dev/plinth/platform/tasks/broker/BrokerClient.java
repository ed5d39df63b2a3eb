package dev.plinth.platform.tasks.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.tasks.TaskQueue;
import dev.plinth.platform.tasks.TasksConfiguration;
import dev.plinth.platform.tasks.metrics.TaskMetrics;
import dev.plinth.platform.tasks.protocol.CeleryProtocol;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.rabbitmq.connect.ChannelPool;
import io.micronaut.rabbitmq.connect.RabbitConnectionFactoryConfig;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RabbitMQ side of tasks: the topology and confirmed publishing, on micronaut-rabbitmq's
 * connections.
 *
 * <p>micronaut-rabbitmq owns the two connections ({@link PlinthProperties#BROKER_PUBLISHER} and
 * {@link PlinthProperties#BROKER_CONSUMER}, apart so that flow control on publishing never blocks
 * the consumer's acknowledgements): their configuration from the contract, automatic recovery,
 * closing at shutdown, the publishing channel pool and the {@code rabbitmq} health indicator. Both
 * are opened on first use. Its {@code @RabbitListener} binding is not used: a listener settles each
 * message when its method returns, where tasks hold the ack until the run state is committed and
 * settle a whole group with one multiple ack. Nor is {@code @RabbitClient}: it waits for a confirm
 * per message, where an outbox batch here waits once for all of its confirms.
 *
 * <p>Topology per task queue {@code Q} (docs/tasks.md "Topology"):
 *
 * <ul>
 *   <li>{@code Q}: durable, no arguments (as a Celery client declares it), or {@code x-queue-type:
 *       quorum} when configured (the Celery side must then declare the same); exchange {@code Q}
 *       (direct, durable) bound with key {@code Q}, as Celery does.
 *   <li>{@code Q.dead}: the dead-letter queue; Plinth publishes into it itself, with the reason in
 *       headers, so {@code Q} needs no dead-letter arguments a Celery client would not declare.
 *   <li>{@code Q.wait.<ms>}: one wait queue per delay bucket, {@code x-message-ttl} = bucket,
 *       dead-lettering back into {@code Q}. All messages of a bucket have the same TTL, so the head
 *       always expires first and a long delay never holds back a short one.
 * </ul>
 */
@Singleton
@Requires(property = PlinthProperties.BROKER_HOST)
@Requires(property = PlinthProperties.TASKS_ENABLED, notEquals = "false")
public class BrokerClient {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerClient.class);

  private final TaskMetrics metrics;
  private final TasksConfiguration configuration;
  private final RabbitConnectionFactoryConfig address;
  private final BeanProvider<Connection> publisherBean;
  private final BeanProvider<Connection> consumerBean;
  private final BeanProvider<ChannelPool> channelsBean;
  private final Set<String> declared = ConcurrentHashMap.newKeySet();
  private volatile Connection publisher;
  private volatile Connection consumer;

  public BrokerClient(
      TasksConfiguration configuration,
      @Named(PlinthProperties.BROKER_PUBLISHER) RabbitConnectionFactoryConfig address,
      @Named(PlinthProperties.BROKER_PUBLISHER) BeanProvider<Connection> publisher,
      @Named(PlinthProperties.BROKER_CONSUMER) BeanProvider<Connection> consumer,
      @Named(PlinthProperties.BROKER_PUBLISHER) BeanProvider<ChannelPool> channels,
      TaskMetrics metrics) {
    this.configuration = configuration;
    this.metrics = metrics;
    this.address = address;
    this.publisherBean = publisher;
    this.consumerBean = consumer;
    this.channelsBean = channels;
  }

  /** The publishing connection, opened on first use. */
  public Connection publisherConnection() {
    Connection c = publisher;
    if (c == null) {
      c = open(publisherBean);
      publisher = c;
    }
    return c;
  }

  /** The consuming connection, opened on first use. */
  public Connection consumerConnection() {
    Connection c = consumer;
    if (c == null) {
      c = open(consumerBean);
      consumer = c;
    }
    return c;
  }

  /** True when a connection was opened and is open now (recovery in progress counts as down). */
  public boolean connected() {
    Connection p = publisher;
    Connection c = consumer;
    return (p != null || c != null) && (p == null || p.isOpen()) && (c == null || c.isOpen());
  }

  private Connection open(BeanProvider<Connection> connection) {
    try {
      return connection.get();
    } catch (BeanInstantiationException e) {
      // The root cause names what failed (refused, timed out, authentication); never the password.
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw new TaskQueue.TaskPublishException(
          "cannot connect to RabbitMQ at "
              + address.getHost()
              + ":"
              + address.getPort()
              + address.getVirtualHost()
              + ": "
              + cause.getMessage(),
          e);
    }
  }

  /** Declares the topology of {@code queue} once per process (and again after recovery). */
  public void declare(String queue) {
    if (declared.contains(queue)) {
      return;
    }
    // A channel of its own: a refused declaration (406) closes the channel it was made on.
    try (Channel channel = publisherConnection().createChannel()) {
      Map<String, Object> arguments = new HashMap<>();
      if (configuration.getQueueType() == TasksConfiguration.QueueType.QUORUM) {
        arguments.put("x-queue-type", "quorum");
      }
      Map<String, Object> main = new HashMap<>(arguments);
      if (configuration.getMaxPriority() != null) {
        if (configuration.getQueueType() == TasksConfiguration.QueueType.QUORUM) {
          throw new IllegalStateException(
              "plinth.tasks.max-priority needs classic queues (plinth.tasks.queue-type=CLASSIC)");
        }
        main.put("x-max-priority", configuration.getMaxPriority());
      }
      channel.exchangeDeclare(queue, BuiltinExchangeType.DIRECT, true);
      channel.queueDeclare(queue, true, false, false, main);
      channel.queueBind(queue, queue, queue);
      channel.queueDeclare(deadLetterQueue(queue), true, false, false, arguments);
      for (Duration bucket : configuration.getDelayBuckets()) {
        Map<String, Object> wait = new HashMap<>();
        wait.put("x-message-ttl", bucket.toMillis());
        wait.put("x-dead-letter-exchange", "");
        wait.put("x-dead-letter-routing-key", queue);
        channel.queueDeclare(waitQueue(queue, bucket), true, false, false, wait);
      }
      declared.add(queue);
    } catch (IOException | TimeoutException e) {
      throw new TaskQueue.TaskPublishException(
          "cannot declare the topology of queue " + queue + ": " + e.getMessage(), e);
    }
  }

  public static String deadLetterQueue(String queue) {
    return queue + ".dead";
  }

  public static String waitQueue(String queue, Duration bucket) {
    return queue + ".wait." + bucket.toMillis();
  }

  /**
   * Where a message due at {@code eta} goes now: the largest wait bucket not longer than what
   * remains, or {@code queue} itself when less than the smallest bucket remains (the worker holds
   * such a message for the rest).
   */
  public String routeFor(String queue, Instant eta) {
    if (eta == null) {
      return queue;
    }
    long remaining = Duration.between(Instant.now(), eta).toMillis();
    String route = queue;
    for (Duration bucket : configuration.getDelayBuckets()) {
      if (bucket.toMillis() <= remaining) {
        route = waitQueue(queue, bucket);
      }
    }
    return route;
  }

  /** Publishes a task message on the default exchange and waits for the broker's confirm. */
  public void publishTask(String queue, CeleryProtocol.Encoded encoded, Instant eta) {
    publishTasks(queue, List.of(encoded), Collections.singletonList(eta));
  }

  /**
   * Publishes task messages on one channel and waits once for all their confirms: many messages per
   * round trip. Returns only when the broker confirmed every one.
   */
  public void publishTasks(String queue, List<CeleryProtocol.Encoded> encoded, List<Instant> etas) {
    declare(queue);
    List<String> routes = new ArrayList<>(encoded.size());
    for (Instant eta : etas) {
      routes.add(routeFor(queue, eta));
    }
    long started = System.nanoTime();
    Channel channel = borrow();
    boolean healthy = false;
    try {
      for (int i = 0; i < encoded.size(); i++) {
        channel.basicPublish("", routes.get(i), encoded.get(i).properties(), encoded.get(i).body());
      }
      channel.waitForConfirmsOrDie(configuration.getConfirmTimeout().toMillis());
      healthy = true;
    } catch (IOException | TimeoutException | RuntimeException e) {
      metrics.published(queue, encoded.size(), false, System.nanoTime() - started);
      throw new TaskQueue.TaskPublishException(
          "RabbitMQ did not confirm "
              + encoded.size()
              + " messages to "
              + queue
              + ": "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskQueue.TaskPublishException("interrupted waiting for confirms", e);
    } finally {
      giveBack(channel, healthy);
    }
    metrics.published(queue, encoded.size(), true, System.nanoTime() - started);
  }

  /** Publishes to {@code Q.dead} with the reason in headers, confirmed. */
  public void deadLetter(
      String queue,
      AMQP.BasicProperties original,
      byte[] body,
      String reason,
      String exception,
      String error,
      int attempts) {
    declare(queue);
    Map<String, Object> headers =
        original.getHeaders() == null ? new HashMap<>() : new HashMap<>(original.getHeaders());
    headers.put("plinth_dead_reason", reason);
    headers.put("plinth_dead_exception", exception == null ? "" : exception);
    headers.put("plinth_dead_error", error == null ? "" : truncate(error));
    headers.put("plinth_dead_attempts", attempts);
    headers.put("plinth_dead_queue", queue);
    headers.put("plinth_dead_at", CeleryProtocol.iso(Instant.now()));
    AMQP.BasicProperties properties =
        original.builder().headers(headers).deliveryMode(2).expiration(null).build();
    publish(deadLetterQueue(queue), properties, body, true);
    metrics.deadLettered(queue);
  }

  /** An {@code rpc://} reply: unconfirmed and transient, as Celery sends it. */
  public void reply(String replyTo, CeleryProtocol.Encoded encoded) {
    publish(replyTo, encoded.properties(), encoded.body(), false);
  }

  private void publish(
      String routingKey, AMQP.BasicProperties properties, byte[] body, boolean confirm) {
    Channel channel = borrow();
    boolean healthy = false;
    try {
      channel.basicPublish("", routingKey, properties, body);
      if (confirm) {
        channel.waitForConfirmsOrDie(configuration.getConfirmTimeout().toMillis());
      }
      healthy = true;
    } catch (IOException | TimeoutException | RuntimeException e) {
      throw new TaskQueue.TaskPublishException(
          "RabbitMQ did not confirm a message to " + routingKey + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskQueue.TaskPublishException("interrupted waiting for a confirm", e);
    } finally {
      giveBack(channel, healthy);
    }
  }

  /**
   * A publishing channel in confirm mode from micronaut-rabbitmq's pool; confirm mode stays on a
   * pooled channel (a channel's publish sequence starts at 1 once it is on).
   */
  private Channel borrow() {
    publisherConnection();
    try {
      Channel channel = channelsBean.get().getChannel();
      if (channel.getNextPublishSeqNo() == 0) {
        channel.confirmSelect();
      }
      return channel;
    } catch (IOException | RuntimeException e) {
      throw new TaskQueue.TaskPublishException("cannot open a channel: " + e.getMessage(), e);
    }
  }

  /** Back to the pool, or closed when a publish on it failed (its confirms are in doubt). */
  private void giveBack(Channel channel, boolean healthy) {
    if (!healthy && channel.isOpen()) {
      try {
        channel.close();
      } catch (IOException | TimeoutException | RuntimeException e) {
        LOG.debug("closing a publishing channel failed", e);
      }
    }
    channelsBean.get().returnChannel(channel);
  }

  /** Forgets declarations so that they are made again (after a queue was deleted, in tests). */
  public void forgetDeclarations() {
    declared.clear();
  }

  private static String truncate(String s) {
    return s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
  }
}
