package dev.plinth.platform.tasks.queue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.tasks.TasksConfiguration;
import dev.plinth.platform.tasks.broker.BrokerClient;
import dev.plinth.platform.tasks.broker.RpcResults;
import dev.plinth.platform.tasks.execution.TaskExecution;
import dev.plinth.platform.tasks.protocol.CeleryProtocol;
import dev.plinth.platform.tasks.protocol.TaskMessage;
import dev.plinth.platform.tasks.state.TaskRuns;
import dev.plinth.platform.tracing.TaskTracing;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Enqueues on RabbitMQ with publisher confirms. RPC replies come back on one server-named,
 * exclusive reply queue per process, matched by the task id ({@code correlation_id} and the body's
 * {@code task_id}), exactly as a Celery {@code rpc://} client receives them.
 */
@Singleton
@Requires(property = PlinthProperties.BROKER_HOST)
@Requires(property = PlinthProperties.TASKS_ENABLED, notEquals = "false")
public class AmqpTaskQueue extends AbstractTaskQueue {
  private final BrokerClient broker;
  private volatile String replyQueue;

  public AmqpTaskQueue(
      BrokerClient broker,
      TaskExecution execution,
      CeleryProtocol protocol,
      TaskRuns runs,
      TasksConfiguration configuration,
      JsonMapper json,
      TaskTracing tracing) {
    super(execution, protocol, runs, configuration, json, tracing);
    this.broker = broker;
  }

  @Override
  protected void dispatch(String queue, TaskMessage message) {
    try {
      broker.publishTask(queue, protocol.encode(message), message.eta());
    } catch (IOException e) {
      throw new TaskPublishException("cannot encode task " + message.name(), e);
    }
  }

  @Override
  protected void dispatchAll(String queue, List<TaskMessage> messages) {
    List<CeleryProtocol.Encoded> encoded = new ArrayList<>(messages.size());
    List<Instant> etas = new ArrayList<>(messages.size());
    for (TaskMessage message : messages) {
      try {
        encoded.add(protocol.encode(message));
      } catch (IOException e) {
        throw new TaskPublishException("cannot encode task " + message.name(), e);
      }
      etas.add(message.eta());
    }
    broker.publishTasks(queue, encoded, etas);
  }

  @Override
  protected String replyTo() {
    String name = replyQueue;
    if (name != null) {
      return name;
    }
    synchronized (this) {
      if (replyQueue == null) {
        try {
          Channel channel = broker.consumerConnection().createChannel();
          // Not server-named: a recovered connection re-declares it under the same name.
          String queue = "plinth.reply." + UUID.randomUUID();
          channel.queueDeclare(queue, false, true, true, null);
          channel.basicConsume(
              queue,
              true,
              new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(
                    String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                  onReply(body);
                }
              });
          replyQueue = queue;
        } catch (IOException e) {
          throw new TaskPublishException("cannot declare the RPC reply queue", e);
        }
      }
      return replyQueue;
    }
  }

  private void onReply(byte[] body) {
    try {
      JsonNode meta = protocol.decodeReply(body);
      JsonNode id = meta.get("task_id");
      JsonNode status = meta.get("status");
      if (id == null || status == null || !RpcResults.isReady(status.getStringValue())) {
        return;
      }
      replied(id.getStringValue(), meta);
    } catch (IOException | RuntimeException e) {
      // A reply that is not ours or not JSON: nobody waits for it.
    }
  }
}
