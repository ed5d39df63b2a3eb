package dev.plinth.worker.consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.tasks.broker.BrokerClient;
import dev.plinth.platform.tasks.broker.ControlMailbox;
import dev.plinth.platform.tasks.execution.TaskExecution;
import dev.plinth.platform.tasks.revoke.Revocations;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's own queue on Celery's control exchange ({@link ControlMailbox}): a {@code revoke}
 * from a Celery client or from Plinth is stored (a worker started later honours it) and, with
 * {@code terminate}, interrupts the attempt running here. Other commands (inspect, ping, rate
 * limits) are not answered.
 */
@Singleton
@Requires(beans = TaskWorker.class)
@Requires(property = PlinthProperties.BROKER_HOST)
final class ControlConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(ControlConsumer.class);

  private final BrokerClient broker;
  private final ControlMailbox mailbox;
  private final Revocations revocations;
  private final TaskExecution execution;
  private final String node = "plinth-" + UUID.randomUUID().toString().substring(0, 8);
  private volatile Channel channel;

  ControlConsumer(
      BrokerClient broker,
      ControlMailbox mailbox,
      Revocations revocations,
      TaskExecution execution) {
    this.broker = broker;
    this.mailbox = mailbox;
    this.revocations = revocations;
    this.execution = execution;
  }

  @EventListener
  void onStartup(StartupEvent event) {
    try {
      Channel c = broker.consumerConnection().createChannel();
      String queue = mailbox.declareNodeQueue(c, node);
      c.basicConsume(queue, true, new Commands(c));
      channel = c;
      LOG.atInfo().addKeyValue("queue", queue).log("task worker listening for revokes");
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot listen on the control exchange: " + e.getMessage(), e);
    }
  }

  @PreDestroy
  void close() {
    Channel c = channel;
    channel = null;
    if (c != null && c.isOpen()) {
      try {
        c.close();
      } catch (IOException | TimeoutException e) {
        LOG.atDebug().setCause(e).log("control channel closed already");
      }
    }
  }

  private final class Commands extends DefaultConsumer {
    Commands(Channel channel) {
      super(channel);
    }

    @Override
    public void handleDelivery(
        String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
      mailbox
          .revokeIn(body)
          .ifPresent(
              revoke -> {
                LOG.atInfo()
                    .addKeyValue("task_ids", revoke.taskIds())
                    .addKeyValue("terminate", revoke.terminate())
                    .log("tasks revoked");
                revocations.revoke(revoke.taskIds());
                if (revoke.terminate()) {
                  execution.terminate(revoke.taskIds());
                }
              });
    }
  }
}
