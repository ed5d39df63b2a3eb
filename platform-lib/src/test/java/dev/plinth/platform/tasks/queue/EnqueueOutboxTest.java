package dev.plinth.platform.tasks.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.tasks.TaskDefinition;
import dev.plinth.platform.tasks.TaskOptions;
import dev.plinth.platform.tasks.TaskQueue;
import dev.plinth.platform.tasks.broker.BrokerClient;
import dev.plinth.platform.testing.TestModes;
import dev.plinth.platform.testing.TestServices;
import io.micronaut.context.ApplicationContext;
import io.micronaut.jdbc.DataSourceResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The enqueue outbox on the embedded database (H2, platform migration V4) and a real RabbitMQ
 * queue, read raw: a keyed run whose queued row was left unconfirmed (its enqueuer died before the
 * confirm) is published again by the retry; a confirmed one is not.
 */
class EnqueueOutboxTest {
  private static final TaskDefinition<String> TASK = TaskDefinition.of("outbox.test", String.class);

  private static ApplicationContext start(Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("APP_DEBUG", "true");
    env.put("PORT", "0");
    env.put("APP_MANAGEMENT_PORT", "0");
    env.put("APP_DATA_DIR", Files.createTempDirectory("plinth-outbox").toString());
    env.putAll(extra);
    return PlinthApplication.builder(TestModes.WEB, EnqueueOutboxTest.class, env).start();
  }

  @Test
  void aKeyedRetryPublishesARunLeftUnconfirmedAndOnlyThatOne() throws Exception {
    String queue = "plinth-outbox-test-" + UUID.randomUUID();
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestServices.rabbitmq().host());
    factory.setPort(TestServices.rabbitmq().port());
    try (ApplicationContext context = start(TestServices.brokerVariables());
        Connection broker = factory.newConnection("outbox-test");
        Channel channel = broker.createChannel()) {
      try {
        leftBehindIsPublishedAgain(context, channel, queue);
      } finally {
        // The task API declared the topology; a queue of its own per run, removed here.
        channel.queueDelete(queue);
        channel.queueDelete(BrokerClient.deadLetterQueue(queue));
        channel.exchangeDelete(queue);
      }
    }
  }

  private static void leftBehindIsPublishedAgain(
      ApplicationContext context, Channel channel, String queue) throws Exception {
    TaskQueue tasks = context.getBean(TaskQueue.class);
    DataSource data =
        context.getBean(DataSourceResolver.class).resolve(context.getBean(DataSource.class));
    TaskOptions left = TaskOptions.defaults().idempotencyKey("left").queue(queue);
    String leftId =
        UUID.nameUUIDFromBytes("outbox.test\0left".getBytes(StandardCharsets.UTF_8)).toString();
    // What a process killed between the queued row and the confirm leaves behind.
    try (java.sql.Connection c = data.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO task_run (id, task_name, status, attempts, enqueued_at,"
                    + " updated_at, published) VALUES (?, 'outbox.test', 'queued', 0, ?, ?,"
                    + " FALSE)")) {
      s.setString(1, leftId);
      s.setObject(2, Instant.now().atOffset(ZoneOffset.UTC));
      s.setObject(3, Instant.now().atOffset(ZoneOffset.UTC));
      s.executeUpdate();
    }

    assertThat(tasks.enqueue(TASK, "p", left)).isEqualTo(leftId);
    GetResponse message = channel.basicGet(queue, true);
    assertThat(message).as("the unconfirmed run published again").isNotNull();
    assertThat(String.valueOf(message.getProps().getHeaders().get("id"))).isEqualTo(leftId);
    assertThat(published(data, leftId)).isTrue();

    // Confirmed now: the same key again returns the id and publishes nothing.
    assertThat(tasks.enqueue(TASK, "p", left)).isEqualTo(leftId);
    String other = tasks.enqueue(TASK, "p", TaskOptions.defaults().queue(queue));
    GetResponse next = channel.basicGet(queue, true);
    assertThat(String.valueOf(next.getProps().getHeaders().get("id"))).isEqualTo(other);
    assertThat(published(data, other)).isTrue();
  }

  @Test
  void anIdempotencyKeyWithoutRunStateIsRefused() throws Exception {
    try (ApplicationContext context = start(Map.of("PLINTH_TASKS_RECORD_STATE", "false"))) {
      TaskQueue tasks = context.getBean(TaskQueue.class);
      assertThatThrownBy(() -> tasks.enqueue(TASK, "p", TaskOptions.defaults().idempotencyKey("k")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("idempotency keys need run state: plinth.tasks.record-state is false");
    }
  }

  private static boolean published(DataSource data, String id) throws Exception {
    try (java.sql.Connection c = data.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT published FROM task_run WHERE id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as("run %s recorded", id).isTrue();
        return rs.getBoolean(1);
      }
    }
  }
}
