package dev.plinth.platform.tasks.workflow;

import dev.plinth.platform.tasks.TaskContext;
import dev.plinth.platform.tasks.TaskDefinition;
import dev.plinth.platform.tasks.TaskHandler;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.util.List;

/** Handlers the workflow tests chain: beans of platform-lib's test class path. */
final class WorkflowTasks {
  private WorkflowTasks() {}

  /** Two numbers; in a chain {@code a} is the result before (left null in the signature). */
  @Serdeable
  record Add(Long a, long b) {}

  /** Every result of a chord's header, in header order. */
  @Serdeable
  record Collect(List<Long> values) {}

  static final TaskDefinition<Add> ADD = TaskDefinition.of("wf.add", Add.class);
  static final TaskDefinition<Collect> COLLECT = TaskDefinition.of("wf.collect", Collect.class);
  static final TaskDefinition<Add> FAIL = TaskDefinition.of("wf.fail", Add.class);

  @Singleton
  static final class AddHandler implements TaskHandler<Add> {
    @Override
    public TaskDefinition<Add> definition() {
      return ADD;
    }

    @Override
    public Object run(Add payload, TaskContext context) {
      return payload.a() + payload.b();
    }
  }

  @Singleton
  static final class CollectHandler implements TaskHandler<Collect> {
    @Override
    public TaskDefinition<Collect> definition() {
      return COLLECT;
    }

    @Override
    public Object run(Collect payload, TaskContext context) {
      return payload.values();
    }
  }

  @Singleton
  static final class FailHandler implements TaskHandler<Add> {
    @Override
    public TaskDefinition<Add> definition() {
      return FAIL;
    }

    @Override
    public Object run(Add payload, TaskContext context) {
      throw new IllegalStateException("planned failure of " + payload.b());
    }
  }
}
