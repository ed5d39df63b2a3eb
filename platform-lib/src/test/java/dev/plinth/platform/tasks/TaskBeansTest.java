package dev.plinth.platform.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.config.RunMode;
import dev.plinth.platform.tasks.broker.BrokerCheck;
import dev.plinth.platform.tasks.broker.BrokerClient;
import dev.plinth.platform.tasks.execution.TaskExecution;
import dev.plinth.platform.tasks.queue.AmqpTaskQueue;
import dev.plinth.platform.tasks.queue.InProcessTaskQueue;
import dev.plinth.platform.tasks.state.TaskRuns;
import dev.plinth.platform.testing.TestModes;
import dev.plinth.platform.testing.TestServices;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which task beans each configuration switches on: both sides of every condition. */
class TaskBeansTest {
  private static ApplicationContext start(RunMode mode, Map<String, String> extra)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("APP_DEBUG", "true");
    env.put("PORT", "0");
    env.put("APP_MANAGEMENT_PORT", "0");
    env.put("APP_DATA_DIR", Files.createTempDirectory("plinth-task-beans").toString());
    env.putAll(extra);
    return PlinthApplication.builder(mode, TaskBeansTest.class, env).start();
  }

  @Test
  void withoutABrokerTasksRunInProcess() throws Exception {
    try (ApplicationContext context = start(TestModes.WEB, Map.of())) {
      assertThat(context.getBean(TaskQueue.class)).isInstanceOf(InProcessTaskQueue.class);
      assertThat(context.containsBean(BrokerClient.class)).isFalse();
      assertThat(context.containsBean(BrokerCheck.class)).isFalse();
    }
  }

  @Test
  void withABrokerEnqueueGoesToRabbitMqAndTheBrokerIsChecked() throws Exception {
    try (ApplicationContext context = start(TestModes.WEB, TestServices.brokerVariables())) {
      assertThat(context.getBean(TaskQueue.class)).isInstanceOf(AmqpTaskQueue.class);
      assertThat(context.getBean(BrokerCheck.class).run()).isEmpty();
    }
  }

  @Test
  void anUnreachableBrokerFailsItsCheckWithAStableId() throws Exception {
    try (ApplicationContext context =
        start(TestModes.WEB, Map.of("RABBITMQ_HOST", "127.0.0.1", "RABBITMQ_PORT", "1"))) {
      assertThat(context.getBean(BrokerCheck.class).run())
          .singleElement()
          .satisfies(m -> assertThat(m.id()).isEqualTo("plinth.broker.E002"));
    }
  }

  @Test
  void switchedOffThereIsNoTaskLayer() throws Exception {
    try (ApplicationContext context =
        start(TestModes.WEB, Map.of("PLINTH_TASKS_ENABLED", "false"))) {
      assertThat(context.containsBean(TaskQueue.class)).isFalse();
      assertThat(context.containsBean(TaskRuns.class)).isFalse();
      assertThat(context.containsBean(TaskExecution.class)).isFalse();
    }
  }
}
