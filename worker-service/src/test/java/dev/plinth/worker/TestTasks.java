package dev.plinth.worker;

import dev.plinth.platform.tasks.TaskContext;
import dev.plinth.platform.tasks.TaskDefinition;
import dev.plinth.platform.tasks.TaskHandler;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * Handlers the worker tests drive from outside. They are beans of the test classpath, so the
 * in-process worker and a worker process started on the test classpath both have them.
 */
public final class TestTasks {
  private TestTasks() {}

  @Serdeable
  public record Flaky(String key, int failTimes) {}

  @Serdeable
  public record Effect(long n, long workMillis) {}

  @Serdeable
  public record Echo(String text, long workMillis) {}

  /** The keys {@link RecordHandler} ran, in the order it ran them. */
  public static final java.util.List<String> RECORDED =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  @Serdeable
  public record Record(String key) {}

  public static final TaskDefinition<Record> RECORD =
      TaskDefinition.of("test.record", Record.class);

  @Singleton
  public static class RecordHandler implements TaskHandler<Record> {
    @Override
    public TaskDefinition<Record> definition() {
      return RECORD;
    }

    @Override
    public Object run(Record payload, TaskContext context) {
      RECORDED.add(payload.key());
      return payload.key();
    }
  }

  /** Soft-limit markers by key: what {@link SoftLimitHandler} wrote when it was told. */
  public static final java.util.Map<String, Boolean> SOFT_LIMIT_MARKERS =
      new java.util.concurrent.ConcurrentHashMap<>();

  @Serdeable
  public record Sleepy(String key, long sleepMillis) {}

  public static final TaskDefinition<Sleepy> SOFT_LIMIT =
      TaskDefinition.of("test.soft_limit", Sleepy.class);

  /**
   * Sleeps; told of its soft limit (the interrupt), it writes its marker and sleeps on, for the
   * hard limit to end it — or, with a short second sleep, returns "cleaned up".
   */
  @Singleton
  public static class SoftLimitHandler implements TaskHandler<Sleepy> {
    @Override
    public TaskDefinition<Sleepy> definition() {
      return SOFT_LIMIT;
    }

    @Override
    public Object run(Sleepy payload, TaskContext context) throws InterruptedException {
      try {
        Thread.sleep(payload.sleepMillis());
        return "slept";
      } catch (InterruptedException e) {
        if (!context.softTimeLimitExceeded()) {
          throw e;
        }
        SOFT_LIMIT_MARKERS.put(payload.key(), true);
        Thread.sleep(payload.sleepMillis());
        return "cleaned up";
      }
    }
  }

  /**
   * Two numbers, bound from Celery's positional arguments (a chain prepends the result; a
   * Plinth-built step leaves {@code a} null for it).
   */
  @Serdeable
  public record Add(Long a, long b) {}

  public static final TaskDefinition<Add> ADD = TaskDefinition.of("test.add", Add.class);

  @Singleton
  public static class AddHandler implements TaskHandler<Add> {
    @Override
    public TaskDefinition<Add> definition() {
      return ADD;
    }

    @Override
    public Object run(Add payload, TaskContext context) {
      return payload.a() + payload.b();
    }
  }

  public static final TaskDefinition<Flaky> FLAKY = TaskDefinition.of("test.flaky", Flaky.class);
  public static final TaskDefinition<Flaky> ALWAYS_FAILS =
      TaskDefinition.of("test.always_fails", Flaky.class);
  public static final TaskDefinition<Effect> EFFECT =
      TaskDefinition.of("test.effect", Effect.class);
  public static final TaskDefinition<Echo> ECHO = TaskDefinition.of("test.echo", Echo.class);

  /** Fails on its first {@code failTimes} attempts. */
  @Singleton
  public static class FlakyHandler implements TaskHandler<Flaky> {
    @Override
    public TaskDefinition<Flaky> definition() {
      return FLAKY;
    }

    @Override
    public Object run(Flaky payload, TaskContext context) {
      if (context.attempt() <= payload.failTimes()) {
        throw new IllegalStateException("planned failure on attempt " + context.attempt());
      }
      return "ok on attempt " + context.attempt();
    }
  }

  @Singleton
  public static class AlwaysFailsHandler implements TaskHandler<Flaky> {
    @Override
    public TaskDefinition<Flaky> definition() {
      return ALWAYS_FAILS;
    }

    @Override
    public Object run(Flaky payload, TaskContext context) {
      throw new IllegalArgumentException("always fails: " + payload.key());
    }
  }

  /** The table {@link EffectHandler} writes; tests create it in their fresh database. */
  public static final String EFFECT_TABLE =
      "CREATE TABLE test_effect (n BIGINT PRIMARY KEY, task_id VARCHAR(64) NOT NULL, runs INTEGER"
          + " NOT NULL, done_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP)";

  /**
   * Records effect {@code n} once (an upsert on a unique key, as a real handler must be idempotent)
   * and counts how often it ran, so a test sees both "exactly once" and redeliveries.
   */
  @Singleton
  public static class EffectHandler implements TaskHandler<Effect> {
    private final DataSource dataSource;

    public EffectHandler(DataSource dataSource) {
      this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    @Override
    public TaskDefinition<Effect> definition() {
      return EFFECT;
    }

    @Override
    public Object run(Effect payload, TaskContext context)
        throws SQLException, InterruptedException {
      if (payload.workMillis() > 0) {
        // Stands for work that takes time (an export, a call): what SIGTERM must let finish.
        Thread.sleep(payload.workMillis());
      }
      try (Connection c = dataSource.getConnection()) {
        try (PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO test_effect (n, task_id, runs) VALUES (?, ?, 1) ON CONFLICT (n) DO"
                    + " UPDATE SET runs = test_effect.runs + 1")) {
          s.setLong(1, payload.n());
          s.setString(2, context.taskId());
          s.executeUpdate();
        }
      }
      return payload.n();
    }
  }

  /** A chord's header results, in header order. */
  @Serdeable
  public record Collected(java.util.List<Long> values) {}

  public static final TaskDefinition<Collected> CHORD_BODY =
      TaskDefinition.of("test.chord_body", Collected.class);

  /** The table {@link ChordBodyHandler} writes a row to on every run. */
  public static final String CHORD_BODY_TABLE =
      "CREATE TABLE test_chord_body (task_id VARCHAR(64) NOT NULL, results TEXT NOT NULL)";

  /** Records each of its runs (no key: a second run of the body would show as a second row). */
  @Singleton
  public static class ChordBodyHandler implements TaskHandler<Collected> {
    private final DataSource dataSource;

    public ChordBodyHandler(DataSource dataSource) {
      this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    @Override
    public TaskDefinition<Collected> definition() {
      return CHORD_BODY;
    }

    @Override
    public Object run(Collected payload, TaskContext context) throws SQLException {
      try (Connection c = dataSource.getConnection();
          PreparedStatement s =
              c.prepareStatement("INSERT INTO test_chord_body (task_id, results) VALUES (?, ?)")) {
        s.setString(1, context.taskId());
        s.setString(2, payload.values().toString());
        s.executeUpdate();
      }
      return payload.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  @Singleton
  public static class EchoHandler implements TaskHandler<Echo> {
    @Override
    public TaskDefinition<Echo> definition() {
      return ECHO;
    }

    @Override
    public Object run(Echo payload, TaskContext context) throws InterruptedException {
      LoggerFactory.getLogger(EchoHandler.class).info("echoing {}", payload.text());
      if (payload.workMillis() > 0) {
        Thread.sleep(payload.workMillis());
      }
      return payload;
    }
  }
}
