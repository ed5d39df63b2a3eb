package dev.plinth.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.tasks.TaskTestSupport;
import dev.plinth.platform.tasks.protocol.CeleryProtocol;
import dev.plinth.platform.tasks.state.TaskRuns;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A few hundred raw AMQP messages, most of them malformed the ways any producer can malform a
 * Celery message, interleaved with well-formed tasks, published to a running WORKER: every
 * well-formed task succeeds, every bad one is dead-lettered once with its reason, the queue
 * empties, and the worker logs a bounded number of lines about it.
 */
class WorkerFuzzTest {
  private static final int ROUNDS = 25;
  private static final int MAX_BODY = 64 * 1024;

  /** A malformation: its name, the reason it must be dead-lettered with, and how to make it. */
  private record Case(String name, String reason, Mutation mutation) {}

  @FunctionalInterface
  private interface Mutation {
    byte[] apply(Map<String, Object> headers, byte[] body);
  }

  private static final List<Case> BAD =
      List.of(
          new Case("long-id", "bad-header", (h, b) -> put(h, "id", "a".repeat(5000), b)),
          new Case("id-charset", "bad-header", (h, b) -> put(h, "id", "x y/../\n", b)),
          new Case("id-table", "bad-header", (h, b) -> put(h, "id", Map.of("k", 1), b)),
          new Case("long-task", "bad-header", (h, b) -> put(h, "task", "t".repeat(300), b)),
          new Case(
              "task-not-utf8",
              "bad-header",
              (h, b) -> put(h, "task", new byte[] {(byte) 0xff, (byte) 0xfe, 'x'}, b)),
          new Case("long-root", "bad-header", (h, b) -> put(h, "root_id", "r".repeat(500), b)),
          new Case("eta-garbage", "bad-header", (h, b) -> put(h, "eta", "tomorrow", b)),
          new Case("no-id", "missing-header", (h, b) -> remove(h, "id", b)),
          new Case("no-task", "missing-header", (h, b) -> remove(h, "task", b)),
          new Case(
              "not-json", "not-json", (h, b) -> new byte[] {(byte) 0xc3, (byte) 0x28, '[', '{'}),
          new Case("too-large", "too-large", (h, b) -> new byte[MAX_BODY + 1]));

  @Test
  void noMessageWedgesTheWorker() throws Exception {
    String queue = TaskTestSupport.uniqueQueue("plinth-fuzz");
    String db = TaskTestSupport.freshDatabase();
    Map<String, String> env = TaskTestSupport.environment(db, queue);
    env.put("APP_WORKER_COUNT", "2");
    env.put("PLINTH_TASKS_MAX_BODY_SIZE", String.valueOf(MAX_BODY));
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(captured);
    try (Connection rabbit = TaskTestSupport.rabbit();
        ApplicationContext worker =
            PlinthApplication.builder(Application.MODE, Application.class, env).start()) {
      TaskRuns runs = worker.getBean(TaskRuns.class);
      CeleryProtocol protocol = new TaskTestSupport.Producer(rabbit).protocol();
      List<String> good = new ArrayList<>();
      Map<String, String> expected = new HashMap<>();
      try (Channel channel = rabbit.createChannel()) {
        channel.confirmSelect();
        for (int round = 0; round < ROUNDS; round++) {
          good.add(publishGood(channel, protocol, queue, null));
          // A request id that is no sane id is replaced, not fatal: the task still runs.
          good.add(publishGood(channel, protocol, queue, "rid\n".repeat(100)));
          for (Case bad : BAD) {
            String marker = bad.name() + "-" + round;
            expected.put(marker, bad.reason());
            CeleryProtocol.Encoded encoded = encode(protocol, UUID.randomUUID().toString(), null);
            Map<String, Object> headers = new HashMap<>(encoded.properties().getHeaders());
            headers.put("fuzz_case", marker);
            byte[] body = bad.mutation().apply(headers, encoded.body());
            AMQP.BasicProperties properties =
                encoded.properties().builder().headers(headers).build();
            channel.basicPublish("", queue, properties, body);
          }
        }
        channel.waitForConfirmsOrDie(60_000);

        awaitSucceeded(runs, good);
        Map<String, String> deadReasons = deadReasons(channel, queue, expected.size());
        assertThat(deadReasons).isEqualTo(expected);
        assertThat(channel.queueDeclarePassive(queue).getMessageCount()).isZero();
        assertThat(channel.queueDeclarePassive(queue + ".dead").getMessageCount()).isZero();
      } finally {
        TaskTestSupport.deleteTopology(rabbit, queue);
      }
    } finally {
      root.detachAppender(captured);
    }
    long complaints =
        captured.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).count();
    // One line per bad message, give or take: a loop would write thousands.
    assertThat(complaints).isBetween((long) BAD.size() * ROUNDS, 2L * BAD.size() * ROUNDS);
  }

  /**
   * A row the database refuses (here a test constraint; in the wild a value no decode check
   * foresaw) fails alone: the group commit it was part of is retried one run at a time, every other
   * task of the group succeeds, and the refused one is dead-lettered once as {@code bad-state}
   * instead of being requeued for ever.
   */
  @Test
  void aRowTheDatabaseRefusesFailsAloneAndTheRestOfItsGroupCommits() throws Exception {
    String queue = TaskTestSupport.uniqueQueue("plinth-refused");
    String db = TaskTestSupport.freshDatabase();
    Map<String, String> env = TaskTestSupport.environment(db, queue);
    env.put("APP_WORKER_COUNT", "2");
    try (Connection rabbit = TaskTestSupport.rabbit();
        ApplicationContext worker =
            PlinthApplication.builder(Application.MODE, Application.class, env).start();
        java.sql.Connection sql = TaskTestSupport.database(db);
        Channel channel = rabbit.createChannel()) {
      try (var statement = sql.createStatement()) {
        statement.execute(
            "ALTER TABLE task_run ADD CONSTRAINT test_refused CHECK (id NOT LIKE 'refused-%')");
      }
      TaskRuns runs = worker.getBean(TaskRuns.class);
      CeleryProtocol protocol = new TaskTestSupport.Producer(rabbit).protocol();
      List<String> good = new ArrayList<>();
      Map<String, String> expected = new HashMap<>();
      try {
        channel.confirmSelect();
        for (int i = 0; i < 60; i++) {
          if (i % 12 == 5) {
            String id = "refused-" + i;
            CeleryProtocol.Encoded encoded = encode(protocol, id, null);
            Map<String, Object> headers = new HashMap<>(encoded.properties().getHeaders());
            headers.put("fuzz_case", id);
            channel.basicPublish(
                "", queue, encoded.properties().builder().headers(headers).build(), encoded.body());
            expected.put(id, "bad-state");
          } else {
            good.add(publishGood(channel, protocol, queue, null));
          }
        }
        channel.waitForConfirmsOrDie(60_000);

        awaitSucceeded(runs, good);
        assertThat(deadReasons(channel, queue, expected.size())).isEqualTo(expected);
        assertThat(channel.queueDeclarePassive(queue).getMessageCount()).isZero();
      } finally {
        TaskTestSupport.deleteTopology(rabbit, queue);
      }
    }
  }

  private static void awaitSucceeded(TaskRuns runs, List<String> ids) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                ids.stream()
                    .allMatch(
                        id ->
                            runs.find(id)
                                .map(run -> "succeeded".equals(run.status()))
                                .orElse(false)));
  }

  /** Takes {@code count} dead letters off the queue: each one's case and reason, once each. */
  private static Map<String, String> deadReasons(Channel channel, String queue, int count) {
    Map<String, String> deadReasons = new HashMap<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              for (GetResponse r = channel.basicGet(queue + ".dead", true);
                  r != null;
                  r = channel.basicGet(queue + ".dead", true)) {
                Map<String, Object> h = r.getProps().getHeaders();
                String marker = String.valueOf(h.get("fuzz_case"));
                assertThat(deadReasons)
                    .as("dead-lettered once: " + marker)
                    .doesNotContainKey(marker);
                deadReasons.put(marker, String.valueOf(h.get("plinth_dead_reason")));
              }
              return deadReasons.size() >= count;
            });
    return deadReasons;
  }

  private static String publishGood(
      Channel channel, CeleryProtocol protocol, String queue, String rid) throws Exception {
    String id = UUID.randomUUID().toString();
    CeleryProtocol.Encoded encoded = encode(protocol, id, rid);
    channel.basicPublish("", queue, encoded.properties(), encoded.body());
    return id;
  }

  private static CeleryProtocol.Encoded encode(CeleryProtocol protocol, String id, String rid)
      throws java.io.IOException {
    return protocol.encode(
        protocol.newMessage(
            id, TestTasks.ECHO.name(), new TestTasks.Echo("fuzz", 0), rid, null, null));
  }

  private static byte[] put(Map<String, Object> headers, String name, Object value, byte[] body) {
    headers.put(name, value);
    return body;
  }

  private static byte[] remove(Map<String, Object> headers, String name, byte[] body) {
    headers.remove(name);
    return body;
  }
}
