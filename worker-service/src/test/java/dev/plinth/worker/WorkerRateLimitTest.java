package dev.plinth.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.tasks.TaskTestSupport;
import dev.plinth.platform.testing.RedisTestDatabase;
import io.micronaut.context.ApplicationContext;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code plinth.tasks.rate-limits} on two workers (two application contexts: nothing shared but the
 * broker, the database and, in the first case, Redis): one bucket in Redis holds both to the limit
 * together; without Redis each worker holds itself to it, as Celery's workers do.
 */
class WorkerRateLimitTest {
  @Test
  void aLimitSharedThroughRedisHoldsTwoWorkersToItTogether() throws Exception {
    try (RedisTestDatabase redis = RedisTestDatabase.take()) {
      double rate =
          rateOfTwoWorkers(
              220,
              "20/s",
              Map.of(
                  "CACHE_REDIS_HOST", RedisTestDatabase.host(),
                  "CACHE_REDIS_PORT", String.valueOf(RedisTestDatabase.port()),
                  "CACHE_REDIS_DB", String.valueOf(redis.db())));
      assertThat(rate).isBetween(18.0, 22.0);
    }
  }

  @Test
  void withoutRedisEachWorkerKeepsTheLimitForItself() throws Exception {
    // Each at most 5/s, so together at most 10/s; more than one worker's 5/s: not shared. (How
    // far above 5 depends on how the broker shared the messages out between the two.)
    assertThat(rateOfTwoWorkers(60, "5/s", Map.of())).isBetween(6.0, 11.0);
  }

  /** Runs {@code count} limited tasks on two workers; their start rate in runs per second. */
  private static double rateOfTwoWorkers(int count, String limit, Map<String, String> extra)
      throws Exception {
    String queue = TaskTestSupport.uniqueQueue("plinth-rate");
    String db = TaskTestSupport.freshDatabase();
    Map<String, String> env = TaskTestSupport.environment(db, queue);
    env.put("PLINTH_TASKS_RATE_LIMITS", "test.record=" + limit);
    env.putAll(extra);
    try (Connection rabbit = TaskTestSupport.rabbit();
        TaskTestSupport.Producer producer = new TaskTestSupport.Producer(rabbit);
        ApplicationContext one =
            PlinthApplication.builder(Application.MODE, Application.class, env).start();
        ApplicationContext two =
            PlinthApplication.builder(Application.MODE, Application.class, env).start()) {
      assertThat(one.isRunning() && two.isRunning()).isTrue();
      try {
        for (int i = 0; i < count; i++) {
          producer.sendNoWait(
              queue,
              "test.record",
              new TestTasks.Record("rate-" + i),
              java.util.UUID.randomUUID().toString());
        }
        producer.confirmAll();
        await().atMost(Duration.ofSeconds(60)).until(() -> succeeded(db) == count);
        try (java.sql.Connection c = TaskTestSupport.database(db);
            ResultSet span =
                c.createStatement()
                    .executeQuery(
                        "SELECT EXTRACT(EPOCH FROM max(started_at) - min(started_at))"
                            + " FROM task_run WHERE status = 'succeeded'")) {
          span.next();
          return (count - 1) / span.getDouble(1);
        }
      } finally {
        TaskTestSupport.deleteTopology(rabbit, queue);
      }
    }
  }

  private static int succeeded(String db) throws Exception {
    try (java.sql.Connection c = TaskTestSupport.database(db);
        ResultSet rows =
            c.createStatement()
                .executeQuery("SELECT count(*) FROM task_run WHERE status = 'succeeded'")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
