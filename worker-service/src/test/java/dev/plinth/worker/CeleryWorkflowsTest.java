package dev.plinth.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.tasks.TaskDefinition;
import dev.plinth.platform.tasks.TaskOptions;
import dev.plinth.platform.tasks.TaskQueue;
import dev.plinth.platform.tasks.TaskTestSupport;
import dev.plinth.platform.tasks.workflow.Signature;
import dev.plinth.platform.tasks.workflow.Workflow;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Celery workflows across a Plinth worker and a real Celery worker, started by a real Celery client
 * (plinth_celery_canvas.py): chains both ways with the result prepended to each next step's
 * arguments, an immutable step, a link and a link_error; every step runs once and {@code
 * AsyncResult.get()} returns the last one's result. Then the other way: a chain and a chord built
 * with Plinth's API whose steps the Celery worker runs (a chain's middle step, a chord's body).
 */
class CeleryWorkflowsTest {
  /** The rest of {@code py.add}'s arguments after the result a chain prepends. */
  @Serdeable
  record AddTo(long b) {}

  /** No arguments but the header's results a chord's body is given. */
  @Serdeable
  record NoArguments() {}

  static final TaskDefinition<AddTo> PY_ADD_TO = TaskDefinition.of("py.add", AddTo.class);
  static final TaskDefinition<NoArguments> PY_TOTAL =
      TaskDefinition.of("py.total", NoArguments.class);

  @Test
  void workflowsRunAcrossPlinthAndCeleryWorkersToTheirEnd() throws Exception {
    String queue = TaskTestSupport.uniqueQueue("plinth-canvas");
    String celeryQueue = TaskTestSupport.uniqueQueue("plinth-canvas-py");
    String db = TaskTestSupport.freshDatabase();
    Map<String, String> env = TaskTestSupport.environment(db, queue);
    try (CeleryProcesses celery = new CeleryProcesses();
        ApplicationContext worker =
            PlinthApplication.builder(Application.MODE, Application.class, env).start()) {
      celery.startWorker(celeryQueue);
      Map<String, JsonNode> cases =
          celery.runClient(
              worker.getBean(JsonMapper.class),
              "plinth_celery_canvas.py",
              Map.of(),
              queue,
              celeryQueue);

      assertThat(value(cases, "java|python")).isEqualTo(15);
      assertThat(value(cases, "python|java|python")).isEqualTo(323);
      assertThat(value(cases, "immutable")).isEqualTo(10);
      assertThat(value(cases, "link")).isEqualTo(1002);
      JsonNode errback = cases.get("link_error");
      assertThat(errback.get("status").getStringValue())
          .as(errback.toString())
          .isEqualTo("SUCCESS");
      assertThat(errback.get("value").get("failed").getStringValue())
          .isEqualTo(errback.get("failing").getStringValue());
      assertThat(errback.get("failing_outcome").get("status").getStringValue())
          .isEqualTo("FAILURE");

      // A nested chain as a link: refused, and its waiting caller told, not left waiting.
      JsonNode unsupported = cases.get("unsupported");
      assertThat(unsupported.get("status").getStringValue())
          .as(unsupported.toString())
          .isEqualTo("FAILURE");
      assertThat(unsupported.get("type").getStringValue()).isEqualTo("NotImplementedError");
      assertThat(unsupported.get("message").getStringValue()).contains("chain");

      // Every step once: six Plinth runs of test.add, four Celery runs of py.add, one errback.
      try (Connection c = TaskTestSupport.database(db);
          ResultSet rows =
              c.createStatement()
                  .executeQuery(
                      "SELECT count(*), max(attempts) FROM task_run WHERE task_name = 'test.add'"
                          + " AND status = 'succeeded'")) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(6);
        assertThat(rows.getInt(2)).isEqualTo(1);
      }
      String log = celery.workerLog();
      assertThat(count(log, "Task py\\.add\\[[^\\]]+\\] succeeded")).as(log).isEqualTo(4);
      assertThat(count(log, "Task py\\.on_error\\[[^\\]]+\\] succeeded")).as(log).isEqualTo(1);

      // Plinth-built: a chain through the Celery worker and back, a chord whose body is Python's.
      TaskQueue tasks = worker.getBean(TaskQueue.class);
      TaskOptions onCelery = TaskOptions.defaults().queue(celeryQueue);
      long chained =
          tasks.call(
              Workflow.chain(
                  Signature.of(TestTasks.ADD, new TestTasks.Add(1L, 2)),
                  Signature.of(PY_ADD_TO, new AddTo(10)).options(onCelery),
                  Signature.of(TestTasks.ADD, new TestTasks.Add(null, 100))),
              Long.class,
              Duration.ofSeconds(60));
      assertThat(chained).isEqualTo(113);
      long total =
          tasks.call(
              Workflow.chord(
                  IntStream.range(0, 5)
                      .<Signature<?>>mapToObj(
                          i -> Signature.of(TestTasks.ADD, new TestTasks.Add((long) i, i)))
                      .toList(),
                  Signature.of(PY_TOTAL, new NoArguments()).options(onCelery)),
              Long.class,
              Duration.ofSeconds(60));
      assertThat(total).isEqualTo(20);
      // Celery replies before it logs the success: wait for the lines.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                String after = celery.workerLog();
                assertThat(count(after, "Task py\\.add\\[[^\\]]+\\] succeeded"))
                    .as(after)
                    .isEqualTo(5);
                assertThat(count(after, "Task py\\.total\\[[^\\]]+\\] succeeded"))
                    .as(after)
                    .isEqualTo(1);
              });
    } finally {
      try (var rabbit = TaskTestSupport.rabbit()) {
        TaskTestSupport.deleteTopology(rabbit, queue);
        TaskTestSupport.deleteTopology(rabbit, celeryQueue);
      }
    }
  }

  private static long value(Map<String, JsonNode> cases, String name) {
    JsonNode node = cases.get(name);
    assertThat(node).as(name + " in " + cases).isNotNull();
    assertThat(node.get("status").getStringValue()).as(node.toString()).isEqualTo("SUCCESS");
    return node.get("value").getLongValue();
  }

  private static long count(String text, String regex) {
    return Pattern.compile(regex).matcher(text).results().count();
  }
}
