package dev.plinth.platform.tasks.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.tasks.TaskQueue;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Celery's remote-control mailbox (kombu's pidbox) as far as revoking goes: the {@code
 * celery.pidbox} fanout exchange every Celery and Plinth worker binds a queue of its own to, the
 * {@code revoke} broadcast {@code AsyncResult.revoke()} and {@code celery control revoke} send, and
 * the same broadcast from Plinth, which Celery workers honour as well. Declared as kombu declares
 * them (a different declaration would be refused).
 */
@Singleton
@Requires(property = PlinthProperties.BROKER_HOST)
public final class ControlMailbox {
  /** kombu's {@code Mailbox.exchange_fmt} for Celery's {@code control_exchange}. */
  public static final String EXCHANGE = "celery.pidbox";

  /** Celery's {@code control_queue_ttl} and {@code control_queue_expires}, in milliseconds. */
  static final int QUEUE_TTL_MILLIS = 300_000;

  static final int QUEUE_EXPIRES_MILLIS = 10_000;

  /** A {@code revoke} command: the ids, and whether running attempts are interrupted. */
  public record Revoke(List<String> taskIds, boolean terminate) {}

  private final BrokerClient broker;
  private final JsonMapper json;

  ControlMailbox(BrokerClient broker, JsonMapper json) {
    this.broker = broker;
    this.json = json;
  }

  /** Broadcasts a revoke of {@code taskIds} to every worker listening now. */
  public void revoke(Collection<String> taskIds, boolean terminate) {
    Map<String, Object> arguments = new LinkedHashMap<>();
    arguments.put("task_id", List.copyOf(taskIds));
    arguments.put("terminate", terminate);
    arguments.put("signal", "SIGTERM");
    Map<String, Object> command = new LinkedHashMap<>();
    command.put("method", "revoke");
    command.put("arguments", arguments);
    command.put("destination", null);
    command.put("pattern", null);
    command.put("matcher", null);
    AMQP.BasicProperties properties =
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .contentEncoding("utf-8")
            .deliveryMode(1)
            .headers(Map.of("clock", 0, "expires", 0))
            .build();
    try (Channel channel = broker.publisherConnection().createChannel()) {
      declareExchange(channel);
      channel.basicPublish(EXCHANGE, "", properties, json.writeValueAsBytes(command));
    } catch (IOException | TimeoutException e) {
      throw new TaskQueue.TaskPublishException("cannot broadcast a revoke: " + e.getMessage(), e);
    }
  }

  /** Declares {@code node}'s own mailbox queue on {@code channel}; returns its name. */
  public String declareNodeQueue(Channel channel, String node) throws IOException {
    declareExchange(channel);
    String queue = node + "." + EXCHANGE;
    channel.queueDeclare(
        queue,
        false,
        false,
        true,
        Map.of("x-message-ttl", QUEUE_TTL_MILLIS, "x-expires", QUEUE_EXPIRES_MILLIS));
    channel.queueBind(queue, EXCHANGE, "");
    return queue;
  }

  /** The revoke a mailbox message carries; empty for any other command or a body not JSON. */
  public Optional<Revoke> revokeIn(byte[] body) {
    try {
      JsonNode command = json.readValue(body, JsonNode.class);
      JsonNode method = command == null ? null : command.get("method");
      if (method == null || !method.isString() || !"revoke".equals(method.getStringValue())) {
        return Optional.empty();
      }
      JsonNode arguments = command.get("arguments");
      JsonNode ids = arguments == null ? null : arguments.get("task_id");
      List<String> taskIds = new ArrayList<>();
      if (ids != null && ids.isString()) {
        taskIds.add(ids.getStringValue());
      } else if (ids != null && ids.isArray()) {
        ids.values().forEach(id -> taskIds.add(id.coerceStringValue()));
      }
      JsonNode terminate = arguments == null ? null : arguments.get("terminate");
      return Optional.of(
          new Revoke(
              taskIds, terminate != null && terminate.isBoolean() && terminate.getBooleanValue()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void declareExchange(Channel channel) throws IOException {
    channel.exchangeDeclare(EXCHANGE, BuiltinExchangeType.FANOUT, false, false, null);
  }
}
