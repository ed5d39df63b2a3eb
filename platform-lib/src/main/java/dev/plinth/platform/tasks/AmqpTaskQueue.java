package dev.plinth.platform.tasks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Enqueues on RabbitMQ with publisher confirms. RPC replies come back on one server-named,
 * exclusive reply queue per process, matched by the task id ({@code correlation_id} and the body's
 * {@code task_id}), exactly as a Celery {@code rpc://} client receives them.
 */
@Singleton
@Requires(property = "plinth.tasks.broker.host")
@Requires(property = "plinth.tasks.enabled", notEquals = "false")
public class AmqpTaskQueue extends AbstractTaskQueue {
  private final BrokerClient broker;
  private final JsonMapper json;
  private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private volatile String replyQueue;

  public AmqpTaskQueue(
      BrokerClient broker,
      TaskExecution execution,
      TasksConfiguration configuration,
      JsonMapper json) {
    super(execution, configuration);
    this.broker = broker;
    this.json = json;
  }

  @Override
  protected void dispatch(String queue, TaskMessage message) {
    try {
      broker.publishTask(queue, execution.protocol().encode(message), message.eta());
    } catch (IOException e) {
      throw new TaskPublishException("cannot encode task " + message.name(), e);
    }
  }

  @Override
  public <P, R> R call(
      TaskDefinition<P> task,
      P payload,
      Class<R> resultType,
      Duration timeout,
      TaskOptions options) {
    String replyTo = replyQueue();
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    // Registered before publishing: a fast reply must find its future.
    String id = UUID.randomUUID().toString();
    pending.put(id, reply);
    try {
      submit(task, payload, options, replyTo, id);
      JsonNode meta = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return RpcResults.read(json, meta, resultType);
    } catch (TimeoutException e) {
      throw new TaskCallException(
          "Timeout", "no reply for task " + id + " within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskCallException("Interrupted", "waiting for task " + id);
    } catch (ExecutionException e) {
      throw new TaskCallException("ReplyError", String.valueOf(e.getCause()));
    } finally {
      pending.remove(id);
    }
  }

  private String replyQueue() {
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
      JsonNode meta = execution.protocol().decodeReply(body);
      JsonNode id = meta.get("task_id");
      JsonNode status = meta.get("status");
      if (id == null || status == null || !RpcResults.isReady(status.getStringValue())) {
        return;
      }
      CompletableFuture<JsonNode> future = pending.get(id.getStringValue());
      if (future != null) {
        future.complete(meta);
      }
    } catch (IOException | RuntimeException e) {
      // A reply that is not ours or not JSON: nobody waits for it.
    }
  }
}
