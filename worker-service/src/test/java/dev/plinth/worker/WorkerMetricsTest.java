package dev.plinth.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.tasks.TaskTestSupport;
import dev.plinth.platform.tasks.broker.BrokerClient;
import dev.plinth.platform.testing.FreePorts;
import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.PrometheusScrape;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worker side's meters in a real scrape of a WORKER's management port after a run of mixed
 * outcomes: runs by task and outcome (an unknown task's name is not a label), run times, the
 * retry's publish, dead letters, and the queue's depth as the broker counts it moving when a dead
 * letter is taken off.
 */
class WorkerMetricsTest {
  @Test
  void aScrapeAfterMixedOutcomesCountsEachOneAndTheDeadLetterDepthMoves() throws Exception {
    String queue = TaskTestSupport.uniqueQueue("plinth-worker-metrics");
    String db = TaskTestSupport.freshDatabase();
    try (Connection rabbit = TaskTestSupport.rabbit()) {
      Map<String, String> env = TaskTestSupport.environment(db, queue);
      env.put("PLINTH_TASKS_BACKOFF", "200ms");
      env.put("PLINTH_TASKS_DEPTH_CACHE", "1ms");
      env.put("PORT", String.valueOf(FreePorts.pick()));
      env.put("APP_MANAGEMENT_PORT", String.valueOf(FreePorts.pick()));
      try (InProcessMode worker = InProcessMode.start(Application.MODE, Application.class, env);
          TaskTestSupport.Producer producer = new TaskTestSupport.Producer(rabbit)) {
        List<String> ids =
            List.of(
                producer.send(queue, "test.echo", new TestTasks.Echo("one", 0)),
                producer.send(queue, "test.echo", new TestTasks.Echo("two", 0)),
                producer.send(queue, "test.flaky", new TestTasks.Flaky("m", 1), null, 2),
                producer.send(queue, "test.always_fails", new TestTasks.Flaky("n", 0), null, 0),
                producer.send(queue, "no.such.task", Map.of()));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    value(scrape(worker), "plinth_task_runs_total", "outcome=\"succeeded\"")
                            + value(scrape(worker), "plinth_task_runs_total", "outcome=\"dead\"")
                        >= 5);
        assertThat(ids).hasSize(5);
        String scrape = scrape(worker);
        assertThat(
                value(
                    scrape,
                    "plinth_task_runs_total",
                    "task=\"test.echo\"",
                    "outcome=\"succeeded\""))
            .isEqualTo(2);
        assertThat(
                value(
                    scrape, "plinth_task_runs_total", "task=\"test.flaky\"", "outcome=\"retried\""))
            .isEqualTo(1);
        assertThat(
                value(
                    scrape,
                    "plinth_task_runs_total",
                    "task=\"test.flaky\"",
                    "outcome=\"succeeded\""))
            .isEqualTo(1);
        assertThat(
                value(
                    scrape,
                    "plinth_task_runs_total",
                    "task=\"test.always_fails\"",
                    "outcome=\"dead\""))
            .isEqualTo(1);
        assertThat(
                value(
                    scrape, "plinth_task_runs_total", "task=\"unregistered\"", "outcome=\"dead\""))
            .isEqualTo(1);
        assertThat(scrape).doesNotContain("no.such.task");
        assertThat(value(scrape, "plinth_task_run_duration_seconds_count", "task=\"test.echo\""))
            .isEqualTo(2);
        assertThat(value(scrape, "plinth_task_queue_wait_seconds_count", "task=\"test.flaky\""))
            .isEqualTo(2);
        assertThat(value(scrape, "plinth_task_published_total", q(queue), "outcome=\"confirmed\""))
            .isEqualTo(1);
        assertThat(value(scrape, "plinth_task_dead_lettered_total", q(queue))).isEqualTo(2);
        assertThat(value(scrape, "plinth_task_in_flight")).isZero();
        // The default prefetch (four per worker thread), all of it settled once the runs ended.
        assertThat(value(scrape, "plinth_task_prefetch"))
            .isEqualTo(
                4
                    * worker
                        .context()
                        .getProperty(PlinthProperties.WORKER_COUNT, Integer.class)
                        .orElseThrow());
        assertThat(value(scrape, "plinth_task_unacked")).isZero();
        // The AMQP client's own meters, one set per named connection.
        assertThat(value(scrape, "rabbitmq_connections", "connection=\"plinth-consumer\""))
            .isEqualTo(1);
        assertThat(value(scrape, "rabbitmq_connections", "connection=\"plinth-publisher\""))
            .isEqualTo(1);
        assertThat(value(scrape, "rabbitmq_acknowledged_total", "connection=\"plinth-consumer\""))
            .isGreaterThanOrEqualTo(5);
        assertThat(value(scrape, "plinth_task_queue_consumers", q(queue)))
            .isGreaterThanOrEqualTo(1);
        assertThat(value(scrape, "plinth_task_queue_messages", q(queue), "state=\"dead\""))
            .isEqualTo(2);

        new PrometheusScrape(scrape).assertHasTheAlertRulesMetrics("plinth_task_");

        // A task running holds its delivery unacknowledged, and is in flight, until it ends.
        producer.send(queue, "test.echo", new TestTasks.Echo("slow", 3000));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    value(scrape(worker), "plinth_task_unacked") == 1
                        && value(scrape(worker), "plinth_task_in_flight") == 1);

        // A dead letter taken off its queue (as a requeue does): the depth follows.
        assertThat(producer.get(BrokerClient.deadLetterQueue(queue))).isNotNull();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    value(scrape(worker), "plinth_task_queue_messages", q(queue), "state=\"dead\"")
                        == 1);
      } finally {
        TaskTestSupport.deleteTopology(rabbit, queue);
      }
    }
  }

  private static String q(String queue) {
    return "queue=\"" + queue + "\"";
  }

  private static String scrape(InProcessMode worker) {
    return worker.get(worker.managementPort(), "/prometheus").body();
  }

  static double value(String scrape, String name, String... labels) {
    return new PrometheusScrape(scrape).value(name, labels);
  }
}
