package dev.plinth.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.tasks.TaskTestSupport;
import dev.plinth.platform.tasks.broker.BrokerClient;
import dev.plinth.platform.tasks.revoke.TaskRevoker;
import dev.plinth.platform.testing.TestModes;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Revokes reach a Plinth worker: a real Celery client's {@code AsyncResult.revoke()} of a task not
 * yet due (it never runs) and of a running one with {@code terminate=True} (interrupted), each
 * answered REVOKED; and Plinth's own revoke, stored, still honoured by a worker started after it.
 */
class RevokeTest {
  @Test
  void aCeleryClientsRevokeStopsAWaitingTaskAndTerminatesARunningOne() throws Exception {
    String queue = TaskTestSupport.uniqueQueue("plinth-revoke");
    Map<String, String> env = TaskTestSupport.environment(TaskTestSupport.freshDatabase(), queue);
    TestTasks.RECORDED.clear();
    try (CeleryProcesses celery = new CeleryProcesses();
        ApplicationContext worker =
            PlinthApplication.builder(Application.MODE, Application.class, env).start()) {
      Map<String, JsonNode> cases =
          celery.runClient(
              worker.getBean(JsonMapper.class), "plinth_celery_revoke.py", Map.of(), queue);

      JsonNode waiting = cases.get("waiting");
      assertThat(waiting.get("type").getStringValue())
          .as(waiting.toString())
          .isEqualTo("TaskRevokedError");
      assertThat(TestTasks.RECORDED).doesNotContain("revoked-waiting");
      JsonNode running = cases.get("running");
      assertThat(running.get("type").getStringValue())
          .as(running.toString())
          .isEqualTo("TaskRevokedError");
      // Interrupted at once, not after its 30 s of work.
      assertThat(running.get("seconds").getDoubleValue()).isLessThan(15);
      assertThat(
              TaskTestSupport.runStatus(
                  env.get("DATABASE_NAME"), running.get("id").getStringValue()))
          .hasValue("revoked");
    } finally {
      try (var rabbit = TaskTestSupport.rabbit()) {
        TaskTestSupport.deleteTopology(rabbit, queue);
      }
    }
  }

  @Test
  void aRevokeOutlivesTheWorkerThatHeardIt() throws Exception {
    String queue = TaskTestSupport.uniqueQueue("plinth-revoke-stored");
    String db = TaskTestSupport.freshDatabase();
    Map<String, String> env = TaskTestSupport.environment(db, queue);
    String id = UUID.randomUUID().toString();
    TestTasks.RECORDED.clear();
    try (Connection rabbit = TaskTestSupport.rabbit();
        TaskTestSupport.Producer producer = new TaskTestSupport.Producer(rabbit)) {
      try {
        // Revoked from Plinth (a WEB process here) while no worker runs: only the store keeps it.
        try (ApplicationContext web =
            PlinthApplication.builder(TestModes.WEB, Application.class, env).start()) {
          web.getBean(TaskRevoker.class).revoke(List.of(id), false);
          web.getBean(BrokerClient.class).declare(queue);
        }
        var message =
            producer
                .protocol()
                .newMessage(
                    id, "test.record", new TestTasks.Record("stored-revoke"), null, null, null)
                .toBuilder()
                .ignoreResult(true)
                .build();
        var encoded = producer.protocol().encode(message);
        producer.sendRaw(queue, encoded.properties(), encoded.body());
        String after = producer.send(queue, "test.record", new TestTasks.Record("after"));
        try (ApplicationContext worker =
            PlinthApplication.builder(Application.MODE, Application.class, env).start()) {
          assertThat(worker.isRunning()).isTrue();
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> TaskTestSupport.runStatus(db, after).equals(Optional.of("succeeded")));
          assertThat(TaskTestSupport.runStatus(db, id)).hasValue("revoked");
        }
        assertThat(TestTasks.RECORDED).containsExactly("after");
      } finally {
        TaskTestSupport.deleteTopology(rabbit, queue);
      }
    }
  }
}
