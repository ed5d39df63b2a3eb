package dev.plinth.platform.tasks.workflow;

import static dev.plinth.platform.tasks.workflow.WorkflowTasks.ADD;
import static dev.plinth.platform.tasks.workflow.WorkflowTasks.COLLECT;
import static dev.plinth.platform.tasks.workflow.WorkflowTasks.FAIL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.tasks.TaskOptions;
import dev.plinth.platform.tasks.TaskQueue;
import dev.plinth.platform.tasks.TaskRun;
import dev.plinth.platform.tasks.state.TaskRuns;
import dev.plinth.platform.testing.TestModes;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workflows on the embedded default (the in-process queue, run state on H2): a chain's results flow
 * from step to step, an immutable step keeps its payload, a group's members all run, a chord's body
 * gets every header result in header order once, a failed header part answers the body's caller
 * with ChordError, and a chord without run state is refused before anything is queued.
 */
class WorkflowsInProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static ApplicationContext context;
  private static TaskQueue tasks;

  @BeforeAll
  static void start() throws Exception {
    context = start(Map.of());
    tasks = context.getBean(TaskQueue.class);
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  private static ApplicationContext start(Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("APP_DEBUG", "true");
    env.put("PORT", "0");
    env.put("APP_MANAGEMENT_PORT", "0");
    env.put("APP_WORKER_COUNT", "4");
    env.put("APP_DATA_DIR", Files.createTempDirectory("plinth-workflows").toString());
    env.putAll(extra);
    return PlinthApplication.builder(TestModes.WEB, WorkflowsInProcessTest.class, env).start();
  }

  @Test
  void aChainPassesEachResultOnAndAnImmutableStepKeepsItsPayload() {
    long result =
        tasks.call(
            Workflow.chain(
                Signature.of(ADD, new WorkflowTasks.Add(1L, 2)),
                Signature.of(ADD, new WorkflowTasks.Add(null, 10)),
                Signature.of(ADD, new WorkflowTasks.Add(null, 100))),
            Long.class,
            WAIT);
    assertThat(result).isEqualTo(113);

    long immutable =
        tasks.call(
            Workflow.chain(
                Signature.of(ADD, new WorkflowTasks.Add(1L, 2)),
                Signature.of(ADD, new WorkflowTasks.Add(5L, 5)).asImmutable()),
            Long.class,
            WAIT);
    assertThat(immutable).isEqualTo(10);
  }

  @Test
  void aGroupRunsEveryMemberAndNamesThem() {
    List<Signature<?>> members =
        IntStream.range(0, 5)
            .<Signature<?>>mapToObj(i -> Signature.of(ADD, new WorkflowTasks.Add((long) i, 1)))
            .toList();
    WorkflowRun run = tasks.start(Workflow.group(members));
    assertThat(run.taskIds()).hasSize(5).doesNotContain(run.id());
    TaskRuns runs = context.getBean(TaskRuns.class);
    await()
        .atMost(WAIT)
        .until(
            () ->
                run.taskIds().stream()
                    .allMatch(
                        id ->
                            runs.find(id)
                                .map(r -> TaskRun.SUCCEEDED.equals(r.status()))
                                .orElse(false)));
    assertThatThrownBy(() -> tasks.call(Workflow.group(members), Long.class, WAIT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aChordsBodyGetsEveryHeaderResultInOrder() {
    List<Signature<?>> header =
        IntStream.range(0, 12)
            .<Signature<?>>mapToObj(i -> Signature.of(ADD, new WorkflowTasks.Add((long) i, i)))
            .toList();
    Long[] values =
        tasks.call(
            Workflow.chord(header, Signature.of(COLLECT, new WorkflowTasks.Collect(null))),
            Long[].class,
            WAIT);
    assertThat(values)
        .containsExactlyElementsOf(IntStream.range(0, 12).mapToObj(i -> 2L * i).toList());
  }

  @Test
  void aFailedHeaderPartStopsTheChordAndTellsItsCaller() {
    List<Signature<?>> header =
        List.of(
            Signature.of(ADD, new WorkflowTasks.Add(1L, 1)),
            Signature.of(FAIL, new WorkflowTasks.Add(1L, 1))
                .options(TaskOptions.defaults().maxRetries(0)));
    assertThatThrownBy(
            () ->
                tasks.call(
                    Workflow.chord(header, Signature.of(COLLECT, new WorkflowTasks.Collect(null))),
                    Long[].class,
                    WAIT))
        .isInstanceOfSatisfying(
            TaskQueue.TaskCallException.class,
            e -> assertThat(e.excType()).isEqualTo("ChordError"));
  }

  @Test
  void aChordWithoutRunStateIsRefusedBeforeAnythingIsQueued() throws Exception {
    try (ApplicationContext stateless = start(Map.of("PLINTH_TASKS_RECORD_STATE", "false"))) {
      TaskQueue queue = stateless.getBean(TaskQueue.class);
      assertThatThrownBy(
              () ->
                  queue.start(
                      Workflow.chord(
                          List.of(Signature.of(ADD, new WorkflowTasks.Add(1L, 1))),
                          Signature.of(COLLECT, new WorkflowTasks.Collect(null)))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("plinth.tasks.record-state");
      // A chain needs no count: it runs without run state.
      assertThat(
              queue.call(
                  Workflow.chain(
                      Signature.of(ADD, new WorkflowTasks.Add(1L, 1)),
                      Signature.of(ADD, new WorkflowTasks.Add(null, 1))),
                  Long.class,
                  WAIT))
          .isEqualTo(3);
    }
  }
}
