package dev.plinth.beat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.plinth.beat.scheduling.DueRun;
import dev.plinth.platform.tasks.TasksConfiguration;
import dev.plinth.platform.tasks.broker.BrokerClient;
import dev.plinth.platform.testing.PostgresTestDatabase;
import dev.plinth.platform.testing.TestDatabase;
import dev.plinth.platform.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three BEAT processes on one database (PostgreSQL, fresh per run; MariaDB in a subclass) and one
 * RabbitMQ queue (unique per run), driven from outside: the test reads what reaches the queue.
 */
class BeatReplicasTest {
  private static final String SCHEDULE = "every-second";
  private static final String TASK = "example.tick";

  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final String queue = "plinth-beat-test-" + suffix;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private Connection broker;
  private TestDatabase database;

  record Received(String taskId, Instant at) {}

  /**
   * The database the replicas share: PostgreSQL here, MariaDB in {@code BeatReplicasOnMariaDbTest}.
   */
  TestDatabase createDatabase() {
    return PostgresTestDatabase.create();
  }

  @BeforeEach
  void services() throws Exception {
    database = createDatabase();
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestServices.rabbitmq().host());
    factory.setPort(TestServices.rabbitmq().port());
    try {
      broker = factory.newConnection("beat-replicas-test");
    } catch (java.io.IOException e) {
      fail(
          "RabbitMQ is not reachable at " + TestServices.rabbitmq() + " (guest/guest): start it",
          e);
    }
    Channel channel = broker.createChannel();
    channel.queueDeclare(queue, true, false, false, null);
    channel.basicConsume(
        queue,
        true,
        (tag, message) ->
            received.add(
                new Received(
                    String.valueOf(message.getProperties().getHeaders().get("id")), Instant.now())),
        tag -> {});
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (broker != null) {
      try (Channel channel = broker.createChannel()) {
        channel.queueDelete(queue);
        channel.queueDelete(BrokerClient.deadLetterQueue(queue));
        channel.exchangeDelete(queue);
        for (Duration bucket : new TasksConfiguration().getDelayBuckets()) {
          channel.queueDelete(BrokerClient.waitQueue(queue, bucket));
        }
      }
      broker.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void everyTickIsPublishedOnceAndTheSurvivorsCarryOnWhenOneReplicaDies() throws Exception {
    for (int i = 0; i < 3; i++) {
      processes.add(beat(i));
    }
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> received.size() >= 5 || processes.stream().anyMatch(p -> !p.isAlive()));
    assertThat(processes)
        .as("BEAT processes alive (logs in target/beat-*.log)")
        .allMatch(Process::isAlive);

    Process victim = processes.get(0);
    victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    int beforeKill = received.size();
    // The survivors keep publishing: five more seconds' worth, and every second covered.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> received.size() >= beforeKill + 5 && contiguous(dueTimes()));

    // Published once each: a run retried after its publisher died keeps its id, and the task
    // API does not publish an id it has already recorded.
    assertThat(received).extracting(Received::taskId).doesNotHaveDuplicates();
    assertThat(contiguous(dueTimes())).as("a message for every second, none missing").isTrue();
    assertThat(received).hasSizeGreaterThanOrEqualTo(10);
  }

  /**
   * The state a BEAT process SIGKILLed between the task's {@code queued} row and the broker's
   * confirm leaves behind, for several runs: their {@code beat_runs} rows unpublished and their
   * {@code task_run} rows queued but never confirmed. The next BEAT retries each run and the task
   * API publishes it again: every run's id reaches the queue.
   */
  @Test
  void runsKilledBetweenTheQueuedRowAndTheConfirmAreAllPublishedByTheRetry() throws Exception {
    Process first = beat(0);
    await().atMost(Duration.ofSeconds(90)).until(() -> received.size() >= 2 || !first.isAlive());
    assertThat(first.isAlive()).as("BEAT alive (logs in target/beat-*.log)").isTrue();
    first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

    List<String> lost = new ArrayList<>();
    Instant claimed = Instant.now().minus(Duration.ofMinutes(1));
    try (java.sql.Connection c = database.connect()) {
      for (int i = 0; i < 20; i++) {
        Instant due = Instant.ofEpochSecond(claimed.getEpochSecond() - 600 - i);
        String id = DueRun.taskId(TASK, SCHEDULE, due);
        lost.add(id);
        try (var s =
            c.prepareStatement(
                "INSERT INTO beat_runs (schedule_name, due_at, task_name, task_id, payload,"
                    + " queue_name, claimed_by, claimed_at) VALUES (?, ?, ?, ?, '{}', ?, 'dead',"
                    + " ?)")) {
          s.setString(1, SCHEDULE);
          s.setObject(2, due.atOffset(java.time.ZoneOffset.UTC));
          s.setString(3, TASK);
          s.setString(4, id);
          s.setString(5, queue);
          s.setObject(6, claimed.atOffset(java.time.ZoneOffset.UTC));
          s.executeUpdate();
        }
        try (var s =
            c.prepareStatement(
                "INSERT INTO task_run (id, task_name, status, attempts, enqueued_at, updated_at,"
                    + " published) VALUES (?, ?, 'queued', 0, ?, ?, FALSE)")) {
          s.setString(1, id);
          s.setString(2, TASK);
          s.setObject(3, claimed.atOffset(java.time.ZoneOffset.UTC));
          s.setObject(4, claimed.atOffset(java.time.ZoneOffset.UTC));
          s.executeUpdate();
        }
      }
    }

    processes.add(beat(1));
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> received.stream().map(Received::taskId).toList().containsAll(lost));
    // Each lost run's row is marked published once its confirm arrives, just after the message
    // is on the queue; the replica's own current run, in flight, is not one of them.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(unconfirmed(lost)).as("lost runs left unconfirmed").isZero());
  }

  private int unconfirmed(List<String> ids) throws Exception {
    int count = 0;
    try (java.sql.Connection c = database.connect();
        var s = c.prepareStatement("SELECT published FROM task_run WHERE id = ?")) {
      for (String id : ids) {
        s.setString(1, id);
        try (var rs = s.executeQuery()) {
          if (!rs.next() || !rs.getBoolean(1)) {
            count++;
          }
        }
      }
    }
    return count;
  }

  /**
   * SIGKILL, for real and at no chosen moment, five times over: each BEAT is killed a random
   * fraction of a second after it has published, a new one starts, and at the end every second from
   * the first due run to the last is on the queue and no run is left unpublished.
   */
  @Test
  void killedAgainAndAgainNoDueRunIsLost() throws Exception {
    java.util.Random random = new java.util.Random();
    for (int round = 0; round < 5; round++) {
      int before = received.size();
      Process beat = beat(10 + round);
      processes.add(beat);
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> received.size() >= before + 2 || !beat.isAlive());
      assertThat(beat.isAlive()).as("BEAT alive (logs in target/beat-*.log)").isTrue();
      Thread.sleep(random.nextInt(1000));
      beat.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    int beforeLast = received.size();
    processes.add(beat(20));
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> received.size() >= beforeLast + 5 && contiguous(dueTimes()));
    try (java.sql.Connection c = database.connect();
        var s =
            c.prepareStatement(
                "SELECT COUNT(*) FROM beat_runs WHERE published_at IS NULL AND skipped = FALSE"
                    + " AND due_at < ?")) {
      // The last second or two may be in flight; anything older must be published.
      s.setObject(1, Instant.now().minusSeconds(5).atOffset(java.time.ZoneOffset.UTC));
      try (var rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).as("due runs left unpublished").isZero();
      }
    }
    assertThat(contiguous(dueTimes())).as("a message for every second, none missing").isTrue();
  }

  @Test
  void refusesAConfirmTimeoutThatIsNotShorterThanRetryAfter() throws Exception {
    Process p =
        start(
            environment(),
            List.of("-Dplinth.beat.retry-after=10s", "-Dplinth.tasks.confirm-timeout=10s"),
            "confirm-timeout");
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(Files.readAllLines(log("confirm-timeout.err")))
        .containsExactly(
            "plinth: invalid configuration: plinth.tasks.confirm-timeout: expected a duration"
                + " shorter than plinth.beat.retry-after (PT10S >= PT10S)");
  }

  @Test
  void refusesToStartWithoutRunState() throws Exception {
    Process p = start(environment(), List.of("-Dplinth.tasks.record-state=false"), "no-state");
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(Files.readAllLines(log("no-state.err")))
        .containsExactly(
            "plinth: invalid configuration: plinth.tasks.record-state: expected true: BEAT"
                + " publishes with idempotency keys");
  }

  @Test
  void refusesToStartWithoutABroker() throws Exception {
    Map<String, String> env = environment();
    env.remove("RABBITMQ_HOST");
    Process p = start(env, List.of(), "no-broker");
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    List<String> stderr = Files.readAllLines(log("no-broker.err"));
    assertThat(stderr)
        .containsExactly(
            "plinth: invalid configuration: RABBITMQ_HOST: expected a RabbitMQ host: the BEAT"
                + " mode needs a task broker");
  }

  @Test
  void aBadScheduleStopsStartUpNamingTheProperty() throws Exception {
    Process p =
        start(
            environment(),
            List.of(
                "-Dplinth.beat.schedules.broken.task=x",
                "-Dplinth.beat.schedules.broken.cron=61 * * * *"),
            "bad-schedule");
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(Files.readAllLines(log("bad-schedule.err")))
        .containsExactly(
            "plinth: invalid configuration: plinth.beat.schedules.broken.cron: expected cron"
                + " minute field '61': 61 is outside 0-59");
  }

  /** Due times of what was received, in seconds, mapped back from the derived task ids. */
  private List<Long> dueTimes() {
    long now = Instant.now().getEpochSecond();
    Map<String, Long> ids = new HashMap<>();
    for (long s = now - 300; s <= now + 5; s++) {
      ids.put(DueRun.taskId(TASK, SCHEDULE, Instant.ofEpochSecond(s)), s);
    }
    List<Long> dues = new ArrayList<>();
    for (Received r : received) {
      Long due = ids.get(r.taskId());
      assertThat(due).as("task id %s is a run of %s", r.taskId(), SCHEDULE).isNotNull();
      dues.add(due);
    }
    return dues;
  }

  private static boolean contiguous(List<Long> dues) {
    long distinct = dues.stream().distinct().count();
    if (distinct == 0) {
      return false;
    }
    long min = dues.stream().mapToLong(Long::longValue).min().orElseThrow();
    long max = dues.stream().mapToLong(Long::longValue).max().orElseThrow();
    return max - min + 1 == distinct;
  }

  private Process beat(int index) throws Exception {
    return start(
        environment(),
        List.of(
            "-Dplinth.beat.schedules." + SCHEDULE + ".task=" + TASK,
            "-Dplinth.beat.external-tasks=" + TASK,
            "-Dplinth.beat.schedules." + SCHEDULE + ".interval=1s",
            "-Dplinth.beat.schedules." + SCHEDULE + ".queue=" + queue,
            "-Dplinth.beat.schedules.example-export.enabled=false",
            "-Dplinth.beat.retry-after=3s",
            "-Dplinth.tasks.confirm-timeout=2s"),
        "replica-" + index);
  }

  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv("PATH"));
    env.put("APP_DEBUG", "true");
    env.put("PORT", "0");
    env.put("APP_MANAGEMENT_PORT", "0");
    env.put("APP_DATA_DIR", "target/beat-data-" + suffix);
    env.putAll(database.environment());
    env.putAll(TestServices.brokerVariables());
    return env;
  }

  private Process start(Map<String, String> env, List<String> properties, String name)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(testClassPath());
    command.addAll(properties);
    command.add(Application.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.redirectOutput(log(name + ".log").toFile());
    builder.redirectError(log(name + ".err").toFile());
    return builder.start();
  }

  private Path log(String name) {
    return Path.of("target", "beat-" + suffix + "-" + name);
  }

  static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null ? surefire : System.getProperty("java.class.path");
  }

  static String read(Path file) throws Exception {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
