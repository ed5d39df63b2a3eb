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
