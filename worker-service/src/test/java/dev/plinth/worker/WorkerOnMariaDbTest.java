package dev.plinth.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.tasks.TaskOptions;
import dev.plinth.platform.tasks.TaskQueue;
import dev.plinth.platform.tasks.TaskRun;
import dev.plinth.platform.tasks.TaskTestSupport;
import dev.plinth.platform.tasks.state.TaskRuns;
import dev.plinth.platform.testing.MariaDbTestDatabase;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A WORKER whose run state is on the local MariaDB ({@code DATABASE_ENGINE=mariadb}): a task's
 * queued row, its failed attempt, its retry and its success, as on PostgreSQL.
 */
class WorkerOnMariaDbTest {
  @Test
  void runStateIsRecordedThroughARetryOnMariaDb() throws Exception {
    String queue = TaskTestSupport.uniqueQueue("plinth-worker-mariadb");
    try (MariaDbTestDatabase database = MariaDbTestDatabase.create();
        Connection admin = TaskTestSupport.rabbit()) {
      Map<String, String> env = TaskTestSupport.environment("unused", queue);
      env.putAll(database.environment());
      env.put("PLINTH_TASKS_BACKOFF", "1s");
      Instant before = Instant.now();
      try (ApplicationContext worker =
          PlinthApplication.builder(Application.MODE, Application.class, env).start()) {
        TaskRuns runs = worker.getBean(TaskRuns.class);
        String id =
            worker
                .getBean(TaskQueue.class)
                .enqueue(
                    TestTasks.FLAKY,
                    new TestTasks.Flaky("mariadb", 1),
                    TaskOptions.defaults().maxRetries(2));
        // The enqueue's own row: a second one for the same id is refused.
        assertThat(runs.queued(id, TestTasks.FLAKY.name(), null, Instant.now())).isFalse();

        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> runs.find(id).map(r -> TaskRun.SUCCEEDED.equals(r.status())).orElse(false));
        TaskRun run = runs.find(id).orElseThrow();
        assertThat(run.attempts()).isEqualTo(2);
        assertThat(run.error()).isNull();
        assertThat(run.startedAt()).isAfter(before).isBefore(Instant.now());
        assertThat(run.finishedAt()).isAfterOrEqualTo(run.startedAt());
      } finally {
        TaskTestSupport.deleteTopology(admin, queue);
      }
    }
  }
}
