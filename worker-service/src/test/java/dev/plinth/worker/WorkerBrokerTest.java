package dev.plinth.worker;

import static dev.plinth.platform.tasks.TaskTestSupport.database;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.tasks.TaskOptions;
import dev.plinth.platform.tasks.TaskQueue;
import dev.plinth.platform.tasks.TaskRun;
import dev.plinth.platform.tasks.TaskTestSupport;
import dev.plinth.platform.tasks.broker.BrokerCheck;
import dev.plinth.platform.tasks.state.TaskRuns;
import dev.plinth.worker.consumer.TaskConsumersCheck;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A WORKER started on the local RabbitMQ and a fresh PostgreSQL database, driven from outside over
 * AMQP: retries with backoff, dead letters with their reason, poison messages, delays, RPC.
 */
class WorkerBrokerTest {
  static String queue;
  static String redeliveries;
  static String db;
  static ApplicationContext worker;
  static Connection rabbit;
  static TaskTestSupport.Producer producer;
  static TaskRuns runs;

  @BeforeAll
  static void start() throws Exception {
    queue = TaskTestSupport.uniqueQueue("plinth-worker-test");
    // A second queue only aRedeliveredMessageWhoseRunSucceeded... publishes to.
    redeliveries = queue + "-redelivery";
    db = TaskTestSupport.freshDatabase();
    rabbit = TaskTestSupport.rabbit();
    Map<String, String> env = TaskTestSupport.environment(db, queue);
    env.put("APP_WORKER_COUNT", "4");
    env.put("PLINTH_TASKS_QUEUES", queue + "," + redeliveries);
    env.put("PLINTH_TASKS_BACKOFF", "1s");
    env.put("PLINTH_TASKS_BACKOFF_MULTIPLIER", "2");
    worker = PlinthApplication.builder(Application.MODE, Application.class, env).start();
    runs = worker.getBean(TaskRuns.class);
    // After start-up: Flyway wants an empty schema to migrate.
    try (var c = database(db);
        Statement s = c.createStatement()) {
      s.execute(TestTasks.EFFECT_TABLE);
    }
    producer = new TaskTestSupport.Producer(rabbit);
  }

  @AfterAll
  static void stop() throws Exception {
    if (worker != null) {
      worker.close();
    }
    if (rabbit != null) {
      TaskTestSupport.deleteTopology(rabbit, queue);
      TaskTestSupport.deleteTopology(rabbit, redeliveries);
      rabbit.close();
    }
  }

  private static TaskRun awaitStatus(String id, String status, Duration within) {
    AtomicReference<TaskRun> run = new AtomicReference<>();
    await()
        .atMost(within)
        .until(
            () -> {
              run.set(runs.find(id).orElse(null));
              return run.get() != null && status.equals(run.get().status());
            });
    return run.get();
  }

  private static GetResponse awaitDeadLetter(String taskId) {
    AtomicReference<GetResponse> found = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              GetResponse r = producer.get(queue + ".dead");
              while (r != null) {
                Object id =
                    r.getProps().getHeaders() == null ? null : r.getProps().getHeaders().get("id");
                if (taskId == null || taskId.equals(String.valueOf(id))) {
                  found.set(r);
                  return true;
                }
                r = producer.get(queue + ".dead");
              }
              return false;
            });
    return found.get();
  }

  @Test
  void failsTwiceThenSucceedsOnTheThirdAttemptAfterTheBackoff() throws Exception {
    Instant sent = Instant.now().truncatedTo(ChronoUnit.MICROS);
    String id = producer.send(queue, "test.flaky", new TestTasks.Flaky("a", 2), null, 3);

    TaskRun run = awaitStatus(id, TaskRun.SUCCEEDED, Duration.ofSeconds(30));

    assertThat(run.attempts()).isEqualTo(3);
    // Backoff 1 s then 2 s: the third attempt cannot start before 3 s after sending.
    assertThat(Duration.between(sent, run.startedAt()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    assertThat(run.error()).isNull();
  }

  @Test
  void alwaysFailingTaskIsDeadLetteredAfterMaxRetriesWithItsReason() throws Exception {
    String id = producer.send(queue, "test.always_fails", new TestTasks.Flaky("b", 0), null, 1);

    TaskRun run = awaitStatus(id, TaskRun.DEAD, Duration.ofSeconds(30));
    GetResponse dead = awaitDeadLetter(id);

    assertThat(run.attempts()).isEqualTo(2);
    assertThat(run.error()).contains("IllegalArgumentException: always fails: b");
    Map<String, Object> headers = dead.getProps().getHeaders();
    assertThat(String.valueOf(headers.get("plinth_dead_reason"))).isEqualTo("max-retries");
    assertThat(String.valueOf(headers.get("plinth_dead_exception")))
        .isEqualTo("IllegalArgumentException");
    assertThat(String.valueOf(headers.get("plinth_dead_error"))).isEqualTo("always fails: b");
    assertThat(headers.get("plinth_dead_attempts")).isEqualTo(2);
    assertThat(String.valueOf(headers.get("plinth_dead_at"))).isNotBlank();
    assertThat(String.valueOf(headers.get("task"))).isEqualTo("test.always_fails");
  }

  @Test
  void anAttemptPastItsTimeLimitIsInterruptedAndDeadLettered() {
    TaskQueue tasks = worker.getBean(TaskQueue.class);
    String id =
        tasks.enqueue(
            TestTasks.ECHO,
            new TestTasks.Echo("too slow", 30_000),
            TaskOptions.defaults().timeLimit(Duration.ofMillis(500)).maxRetries(0));

    TaskRun run = awaitStatus(id, TaskRun.DEAD, Duration.ofSeconds(20));

    assertThat(run.error()).contains("TimeLimitExceededException");
    assertThat(header(awaitDeadLetter(id), "plinth_dead_reason")).isEqualTo("time-limit");
  }

  @Test
  void poisonMessagesAreDeadLetteredAndTheWorkerCarriesOn() throws Exception {
    AMQP.BasicProperties json =
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .headers(Map.of("task", "test.echo", "id", "poison-not-json"))
            .build();
    producer.sendRaw(queue, json, "{not json".getBytes(StandardCharsets.UTF_8));
    assertThat(header(awaitDeadLetter("poison-not-json"), "plinth_dead_reason"))
        .isEqualTo("not-json");

    AMQP.BasicProperties noHeaders =
        new AMQP.BasicProperties.Builder().contentType("application/json").build();
    producer.sendRaw(queue, noHeaders, "[[], {}, null]".getBytes(StandardCharsets.UTF_8));
    assertThat(header(awaitDeadLetter(null), "plinth_dead_reason")).isEqualTo("missing-header");

    String unknown = producer.send(queue, "test.no_such_task", Map.of("x", 1));
    assertThat(header(awaitDeadLetter(unknown), "plinth_dead_reason")).isEqualTo("unknown-task");
    assertThat(awaitStatus(unknown, TaskRun.DEAD, Duration.ofSeconds(10)).error())
        .contains("no handler");

    Map<String, Object> wrongShape = new HashMap<>();
    wrongShape.put("n", "not a number");
    String badPayload = producer.send(queue, "test.effect", wrongShape);
    assertThat(header(awaitDeadLetter(badPayload), "plinth_dead_reason")).isEqualTo("bad-payload");

    AMQP.BasicProperties twoElements =
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .headers(Map.of("task", "test.echo", "id", "poison-two-elements"))
            .build();
    producer.sendRaw(queue, twoElements, "[[], {}]".getBytes(StandardCharsets.UTF_8));
    assertThat(header(awaitDeadLetter("poison-two-elements"), "plinth_dead_reason"))
        .isEqualTo("bad-body");

    // Still consuming: a good task after all of them runs.
    String good = producer.send(queue, "test.effect", new TestTasks.Effect(900_001, 0));
    awaitStatus(good, TaskRun.SUCCEEDED, Duration.ofSeconds(30));
  }

  @Test
  void aLongDelayDoesNotHoldBackAShortOne() throws Exception {
    // Microseconds: what the eta header and the database keep.
    Instant sent = Instant.now().truncatedTo(ChronoUnit.MICROS);
    String late =
        producer.send(
            queue, "test.effect", new TestTasks.Effect(800_010, 0), sent.plusSeconds(10), null);
    String soon =
        producer.send(
            queue, "test.effect", new TestTasks.Effect(800_001, 0), sent.plusSeconds(1), null);

    TaskRun soonRun = awaitStatus(soon, TaskRun.SUCCEEDED, Duration.ofSeconds(8));
    assertThat(runs.find(late).map(TaskRun::status).orElse(TaskRun.QUEUED))
        .isNotEqualTo(TaskRun.SUCCEEDED);
    assertThat(soonRun.startedAt()).isAfterOrEqualTo(sent.plusSeconds(1));

    TaskRun lateRun = awaitStatus(late, TaskRun.SUCCEEDED, Duration.ofSeconds(30));
    assertThat(lateRun.startedAt()).isAfterOrEqualTo(sent.plusSeconds(10));
  }

  @Test
  void rpcRoundTripAndTimeout() {
    TaskQueue tasks = worker.getBean(TaskQueue.class);

    TestTasks.Echo echoed =
        tasks.call(
            TestTasks.ECHO,
            new TestTasks.Echo("hi", 0),
            TestTasks.Echo.class,
            Duration.ofSeconds(20));
    assertThat(echoed).isEqualTo(new TestTasks.Echo("hi", 0));

    assertThatThrownBy(
            () ->
                tasks.call(
                    TestTasks.ALWAYS_FAILS,
                    new TestTasks.Flaky("rpc", 0),
                    String.class,
                    Duration.ofSeconds(60)))
        .isInstanceOfSatisfying(
            TaskQueue.TaskCallException.class,
            e -> assertThat(e.excType()).isEqualTo("IllegalArgumentException"));

    assertThatThrownBy(
            () ->
                tasks.call(
                    TestTasks.ECHO,
                    new TestTasks.Echo("slow", 3000),
                    TestTasks.Echo.class,
                    Duration.ofMillis(500)))
        .isInstanceOfSatisfying(
            TaskQueue.TaskCallException.class, e -> assertThat(e.timedOut()).isTrue());
  }

  @Test
  void enqueueWithAnIdempotencyKeyRunsOnce() throws Exception {
    TaskQueue tasks = worker.getBean(TaskQueue.class);
    TaskOptions options = TaskOptions.defaults().idempotencyKey("effect-700001");
    String first = tasks.enqueue(TestTasks.EFFECT, new TestTasks.Effect(700_001, 0), options);
    String second = tasks.enqueue(TestTasks.EFFECT, new TestTasks.Effect(700_001, 0), options);

    assertThat(second).isEqualTo(first);
    awaitStatus(first, TaskRun.SUCCEEDED, Duration.ofSeconds(30));
    try (var c = database(db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT runs FROM test_effect WHERE n = 700001")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void everyLineOfARunCarriesTheTaskAndTheRequestThatEnqueuedIt() {
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(captured);
    try {
      TaskQueue tasks = worker.getBean(TaskQueue.class);
      MDC.put("rid", "req-4242");
      String id;
      try {
        id = tasks.enqueue(TestTasks.ECHO, new TestTasks.Echo("logged", 0));
      } finally {
        MDC.remove("rid");
      }
      awaitStatus(id, TaskRun.SUCCEEDED, Duration.ofSeconds(30));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> captured.list.stream().anyMatch(e -> summaryOf(e, id)));

      ILoggingEvent line =
          captured.list.stream()
              .filter(e -> e.getFormattedMessage().equals("echoing logged"))
              .findFirst()
              .orElseThrow();
      assertThat(line.getMDCPropertyMap())
          .containsEntry("task_id", id)
          .containsEntry("task_name", "test.echo")
          .containsEntry("attempt", "1")
          .containsEntry("rid", "req-4242");
      ILoggingEvent summary =
          captured.list.stream().filter(e -> summaryOf(e, id)).findFirst().orElseThrow();
      Map<String, Object> fields = new HashMap<>();
      summary.getKeyValuePairs().forEach(kv -> fields.put(kv.key, kv.value));
      assertThat(fields)
          .containsEntry("name", "test.echo")
          .containsEntry("status", "succeeded")
          .containsEntry("attempt", 1)
          .containsEntry("rid", "req-4242")
          .containsKeys("t", "queue_wait");
    } finally {
      root.detachAppender(captured);
    }
  }

  private static boolean summaryOf(ILoggingEvent e, String id) {
    return "task.summary".equals(e.getLoggerName())
        && e.getKeyValuePairs() != null
        && e.getKeyValuePairs().stream()
            .anyMatch(kv -> "task_id".equals(kv.key) && id.equals(kv.value));
  }

  @Test
  void aSuccessWhoseStateWasNotCommittedIsNotAcknowledgedAndIsRedelivered() throws Exception {
    String id = producer.send(queue, "test.effect", new TestTasks.Effect(600_001, 3000));
    awaitStatus(id, TaskRun.RUNNING, Duration.ofSeconds(30));
    try (var locker = database(db);
        Statement s = locker.createStatement()) {
      // Hold the run's row while the handler works: recording its success waits on it.
      locker.setAutoCommit(false);
      s.execute("SELECT 1 FROM task_run WHERE id = '" + id + "' FOR UPDATE");
      await().atMost(Duration.ofSeconds(30)).until(() -> effectRuns(600_001) == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> lockWaiters(s) == 1);
      // The handler ran but its success is not committed: the message is not acknowledged.
      assertThat(runs.find(id).orElseThrow().status()).isEqualTo(TaskRun.RUNNING);
      // The database connection of the run-state transaction dies mid-batch.
      s.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname ="
              + " current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'");
      locker.rollback();
    }

    TaskRun run = awaitStatus(id, TaskRun.SUCCEEDED, Duration.ofSeconds(30));
    // Redelivered and run again: the first success was never acknowledged.
    assertThat(effectRuns(600_001)).isEqualTo(2);
    assertThat(run.attempts()).isEqualTo(1);
  }

  @Test
  void aRedeliveredMessageWhoseRunSucceededIsAcknowledgedWithoutRunning() throws Exception {
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(captured);
    String id = UUID.randomUUID().toString();
    try (var c = database(db);
        Statement s = c.createStatement()) {
      // The run succeeded before, but its message was never acknowledged (a worker died between
      // the commit and the ack): the broker delivers it again.
      s.execute(
          "INSERT INTO task_run (id, task_name, status, attempts, updated_at, finished_at)"
              + " VALUES ('"
              + id
              + "', 'test.effect', 'succeeded', 1, now(), now())");
    }
    Channel holder = rabbit.createChannel();
    try {
      // A consumer of higher priority than the worker's takes the first delivery, then gives it
      // back unacknowledged: the broker redelivers it to the worker, flagged redelivered.
      holder.basicQos(1);
      BlockingQueue<Long> taken = new LinkedBlockingQueue<>();
      String tag =
          holder.basicConsume(
              redeliveries,
              false,
              Map.of("x-priority", 10),
              new DefaultConsumer(holder) {
                @Override
                public void handleDelivery(
                    String consumerTag,
                    Envelope envelope,
                    AMQP.BasicProperties properties,
                    byte[] body) {
                  taken.add(envelope.getDeliveryTag());
                }
              });
      producer.sendNoWait(redeliveries, "test.effect", new TestTasks.Effect(600_002, 0), id);
      producer.confirmAll();
      Long delivery = taken.poll(30, TimeUnit.SECONDS);
      assertThat(delivery).isNotNull();
      holder.basicCancel(tag);
      holder.basicNack(delivery, false, true);

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  captured.list.stream()
                      .anyMatch(
                          e ->
                              summaryOf(e, id)
                                  && e.getKeyValuePairs().stream()
                                      .anyMatch(
                                          kv ->
                                              "status".equals(kv.key)
                                                  && "duplicate".equals(kv.value))));
      // Acknowledged without running: the handler's effect never happened.
      assertThat(effectRuns(600_002)).isZero();
      assertThat(runs.find(id).orElseThrow().status()).isEqualTo(TaskRun.SUCCEEDED);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> holder.queueDeclarePassive(redeliveries).getMessageCount() == 0);
    } finally {
      root.detachAppender(captured);
      if (holder.isOpen()) {
        holder.close();
      }
    }
  }

  @Test
  void enqueueAllPublishesEveryTaskAndEachRunsOnce() throws Exception {
    TaskQueue tasks = worker.getBean(TaskQueue.class);
    List<TestTasks.Effect> payloads = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      payloads.add(new TestTasks.Effect(500_000 + i, 0));
    }

    List<String> ids = tasks.enqueueAll(TestTasks.EFFECT, payloads, TaskOptions.defaults());

    assertThat(ids).hasSize(200).doesNotHaveDuplicates();
    // Confirmed and recorded before it returned: every run has its row already.
    assertThat(ids).allMatch(id -> runs.find(id).isPresent());
    for (String id : ids) {
      awaitStatus(id, TaskRun.SUCCEEDED, Duration.ofSeconds(60));
    }
    try (var c = database(db);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT count(*), sum(runs) FROM test_effect WHERE n BETWEEN 500000 AND 500199")) {
      r.next();
      assertThat(r.getInt(1)).isEqualTo(200);
      assertThat(r.getInt(2)).isEqualTo(200);
    }
    assertThatThrownBy(
            () ->
                tasks.enqueueAll(
                    TestTasks.EFFECT, payloads, TaskOptions.defaults().idempotencyKey("k")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static int effectRuns(long n) throws Exception {
    try (var c = database(db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT runs FROM test_effect WHERE n = " + n)) {
      return r.next() ? r.getInt(1) : 0;
    }
  }

  private static long lockWaiters(Statement s) throws Exception {
    try (ResultSet r =
        s.executeQuery(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock'")) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void heartbeatChecksPassWhileConsuming() throws Exception {
    assertThat(worker.getBean(TaskConsumersCheck.class).run()).isEmpty();
    assertThat(worker.getBean(BrokerCheck.class).run()).isEmpty();
  }

  private static String header(GetResponse response, String name) {
    return String.valueOf(response.getProps().getHeaders().get(name));
  }
}
