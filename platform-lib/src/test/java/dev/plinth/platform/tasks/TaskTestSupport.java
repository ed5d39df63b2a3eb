package dev.plinth.platform.tasks;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.plinth.platform.tasks.protocol.CeleryProtocol;
import dev.plinth.platform.tasks.protocol.TaskMessage;
import dev.plinth.platform.testing.PostgresTestDatabase;
import dev.plinth.platform.testing.TestServices;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * Test support for task tests (shared through the test-jar): the tests' RabbitMQ and PostgreSQL
 * ({@link TestServices}), a fresh database and uniquely named queues per run, and a client that
 * publishes Celery messages from outside as a producer would. Fails, never skips, when a service is
 * not running.
 */
public final class TaskTestSupport {
  private TaskTestSupport() {}

  /** A new PostgreSQL database for this run; its name. */
  public static String freshDatabase() {
    return PostgresTestDatabase.create().name();
  }

  public static java.sql.Connection database(String name) throws SQLException {
    return DriverManager.getConnection(PostgresTestDatabase.jdbcUrl(name), "postgres", "");
  }

  /** Runs {@code rabbitmqctl ARGS} against the tests' broker; its output. Fails when it fails. */
  public static String rabbitmqctl(String... args) throws IOException, InterruptedException {
    return TestServices.rabbitmqctl(args);
  }

  public static Connection rabbit() {
    ConnectionFactory factory = new ConnectionFactory();
    TestServices.Endpoint broker = TestServices.rabbitmq();
    factory.setHost(broker.host());
    factory.setPort(broker.port());
    factory.setUsername("guest");
    factory.setPassword("guest");
    try {
      return factory.newConnection("plinth-test");
    } catch (IOException | TimeoutException e) {
      throw new AssertionError(
          "RabbitMQ is not reachable on "
              + broker.host()
              + ":"
              + broker.port()
              + " (guest/guest): start it to run this test. "
              + e.getMessage(),
          e);
    }
  }

  /** The status of run {@code id} in database {@code name}, if it has a row. */
  public static java.util.Optional<String> runStatus(String name, String id) throws SQLException {
    try (java.sql.Connection c = database(name);
        java.sql.PreparedStatement s =
            c.prepareStatement("SELECT status FROM task_run WHERE id = ?")) {
      s.setString(1, id);
      try (java.sql.ResultSet r = s.executeQuery()) {
        return r.next() ? java.util.Optional.of(r.getString(1)) : java.util.Optional.empty();
      }
    }
  }

  public static String uniqueQueue(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
  }

  /** The environment of a worker (or web) process on the local services. */
  public static Map<String, String> environment(String database, String queue) {
    Map<String, String> env = new HashMap<>();
    env.put("APP_DEBUG", "true");
    env.put("PORT", "0");
    env.put("APP_MANAGEMENT_PORT", "0");
    env.put("APP_DATA_DIR", System.getProperty("java.io.tmpdir") + "/plinth-test-" + queue);
    env.put("DATABASE_HOST", PostgresTestDatabase.host());
    env.put("DATABASE_PORT", String.valueOf(PostgresTestDatabase.port()));
    env.put("DATABASE_NAME", database);
    env.put("DATABASE_USERNAME", "postgres");
    env.put("RABBITMQ_HOST", TestServices.rabbitmq().host());
    env.put("RABBITMQ_PORT", String.valueOf(TestServices.rabbitmq().port()));
    env.put("PLINTH_TASKS_DEFAULT_QUEUE", queue);
    env.put("PLINTH_TASKS_QUEUES", queue);
    return env;
  }

  /** Deletes the queues of {@code queue}'s topology. */
  public static void deleteTopology(Connection connection, String queue) throws IOException {
    try (Channel channel = connection.createChannel()) {
      for (String name :
          new String[] {
            queue,
            queue + ".dead",
            queue + ".wait.1000",
            queue + ".wait.5000",
            queue + ".wait.30000",
            queue + ".wait.120000",
            queue + ".wait.600000",
            queue + ".wait.3600000"
          }) {
        channel.queueDelete(name);
      }
      channel.exchangeDelete(queue);
    } catch (TimeoutException e) {
      throw new IOException(e);
    }
  }

  /** Publishes like an outside producer: a Plinth-encoded Celery v2 message, confirmed. */
  public static final class Producer implements AutoCloseable {
    private final Channel channel;
    private final CeleryProtocol protocol = new CeleryProtocol(JsonMapper.createDefault());

    public Producer(Connection connection) throws IOException {
      this.channel = connection.createChannel();
      channel.confirmSelect();
    }

    public CeleryProtocol protocol() {
      return protocol;
    }

    public String send(String queue, String task, Object kwargs) throws Exception {
      return send(queue, task, kwargs, null, null);
    }

    public String send(String queue, String task, Object kwargs, Instant eta, Integer maxRetries)
        throws Exception {
      String id = UUID.randomUUID().toString();
      TaskMessage base = protocol.newMessage(id, task, kwargs, null, null, eta);
      TaskMessage m = base.toBuilder().eta(eta).ignoreResult(true).maxRetries(maxRetries).build();
      CeleryProtocol.Encoded encoded = protocol.encode(m);
      channel.basicPublish("", queue, encoded.properties(), encoded.body());
      channel.waitForConfirmsOrDie(10_000);
      return id;
    }

    /** A task with a hard time limit of its own and no retry. */
    public String sendWithTimeLimit(String queue, String task, Object kwargs, double seconds)
        throws Exception {
      String id = UUID.randomUUID().toString();
      TaskMessage m =
          protocol.newMessage(id, task, kwargs, null, null, null).toBuilder()
              .ignoreResult(true)
              .maxRetries(0)
              .timeLimitSeconds(seconds)
              .build();
      CeleryProtocol.Encoded encoded = protocol.encode(m);
      channel.basicPublish("", queue, encoded.properties(), encoded.body());
      channel.waitForConfirmsOrDie(10_000);
      return id;
    }

    /** Publishes without waiting for each confirm; {@link #confirmAll()} waits for them all. */
    public void sendNoWait(String queue, String task, Object kwargs, String id) throws Exception {
      TaskMessage m = protocol.newMessage(id, task, kwargs, null, null, null);
      CeleryProtocol.Encoded encoded = protocol.encode(m);
      channel.basicPublish("", queue, encoded.properties(), encoded.body());
    }

    public void confirmAll() throws Exception {
      channel.waitForConfirmsOrDie(60_000);
    }

    public void sendRaw(
        String queue, com.rabbitmq.client.AMQP.BasicProperties properties, byte[] body)
        throws Exception {
      channel.basicPublish("", queue, properties, body);
      channel.waitForConfirmsOrDie(10_000);
    }

    public GetResponse get(String queue) throws IOException {
      return channel.basicGet(queue, true);
    }

    @Override
    public void close() throws IOException, TimeoutException {
      if (channel.isOpen()) {
        channel.close();
      }
    }
  }
}
