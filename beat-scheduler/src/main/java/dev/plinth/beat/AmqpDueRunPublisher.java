package dev.plinth.beat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.plinth.platform.config.PlinthSettings;
import dev.plinth.platform.scheduling.DueRun;
import dev.plinth.platform.scheduling.DueRunPublisher;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Publishes due runs as Celery protocol v2 task messages (docs/scheduling.md), persistent, and
 * waits for the broker's confirm. Called from the scheduler's single publishing thread only.
 *
 * <p>Interim: BEAT publishes through this until the task API ({@code dev.plinth.platform.tasks})
 * offers enqueueing by task name and raw JSON payload; then this class becomes an adapter to it.
 */
@Singleton
public class AmqpDueRunPublisher implements DueRunPublisher {
  private static final String EMBED =
      "{\"callbacks\": null, \"errbacks\": null, \"chain\": null, \"chord\": null}";

  /** Celery's origin header: which process published (gen<pid>@<host> in Celery). */
  private static final String ORIGIN = "beat" + ProcessHandle.current().pid();

  private final ConnectionFactory factory;
  private final String defaultQueue;
  private final Duration confirmTimeout;
  private final Set<String> returned = ConcurrentHashMap.newKeySet();
  private Connection connection;
  private Channel channel;

  public AmqpDueRunPublisher(
      PlinthSettings settings,
      @Value("${plinth.beat.default-queue:celery}") String defaultQueue,
      @Value("${plinth.beat.confirm-timeout:5s}") Duration confirmTimeout) {
    PlinthSettings.RabbitMq broker =
        settings
            .rabbitMq()
            .orElseThrow(() -> new IllegalStateException("BEAT needs RABBITMQ_HOST"));
    this.factory = new ConnectionFactory();
    factory.setHost(broker.host());
    factory.setPort(broker.port());
    factory.setVirtualHost(broker.vhost());
    factory.setUsername(broker.username());
    factory.setPassword(broker.password().reveal());
    factory.setConnectionTimeout(3000);
    factory.setAutomaticRecoveryEnabled(false); // reconnect on the next publish instead
    this.defaultQueue = defaultQueue;
    this.confirmTimeout = confirmTimeout;
  }

  @Override
  public void publish(DueRun run) throws Exception {
    String queue = run.queue() == null ? defaultQueue : run.queue();
    Channel ch = channel();
    try {
      ch.basicPublish("", queue, true, properties(run), body(run));
      ch.waitForConfirmsOrDie(confirmTimeout.toMillis());
    } catch (IOException | RuntimeException | TimeoutException e) {
      close();
      throw e;
    }
    // The broker returns an unroutable message before it confirms it: confirmed is not enough.
    if (returned.remove(run.taskId())) {
      throw new IOException("no queue '" + queue + "' on the broker; the run is kept for retry");
    }
  }

  private synchronized Channel channel() throws IOException, TimeoutException {
    if (channel == null || !channel.isOpen()) {
      if (connection == null || !connection.isOpen()) {
        connection = factory.newConnection("plinth-beat");
      }
      channel = connection.createChannel();
      channel.confirmSelect();
      channel.addReturnListener(r -> returned.add(r.getProperties().getCorrelationId()));
    }
    return channel;
  }

  private static AMQP.BasicProperties properties(DueRun run) {
    Map<String, Object> headers = new HashMap<>();
    headers.put("lang", "java");
    headers.put("task", run.task());
    headers.put("id", run.taskId());
    headers.put("shadow", null);
    headers.put("eta", null);
    headers.put("expires", null);
    headers.put("group", null);
    headers.put("group_index", null);
    headers.put("retries", 0);
    headers.put("timelimit", Arrays.asList(null, null));
    headers.put("root_id", run.taskId());
    headers.put("parent_id", null);
    headers.put("argsrepr", "()");
    headers.put("kwargsrepr", run.payload());
    headers.put("origin", ORIGIN);
    headers.put("ignore_result", true);
    return new AMQP.BasicProperties.Builder()
        .contentType("application/json")
        .contentEncoding("utf-8")
        .correlationId(run.taskId())
        .deliveryMode(2)
        .priority(0)
        .headers(headers)
        .build();
  }

  private static byte[] body(DueRun run) {
    return ("[[], " + run.payload() + ", " + EMBED + "]").getBytes(StandardCharsets.UTF_8);
  }

  @PreDestroy
  synchronized void close() {
    try {
      if (connection != null && connection.isOpen()) {
        connection.close(1000);
      }
    } catch (IOException e) {
      // closing anyway
    }
    connection = null;
    channel = null;
  }
}
