package dev.plinth.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.tasks.TaskOptions;
import dev.plinth.platform.tasks.TaskQueue;
import dev.plinth.platform.tasks.TaskTestSupport;
import dev.plinth.platform.testing.TestModes;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Priority queues ({@code plinth.tasks.max-priority}): tasks enqueued at priority 9 behind a
 * backlog at priority 0 are delivered first once a worker consumes.
 */
class WorkerPriorityTest {
  @Test
  void priorityNineOvertakesABacklogAtZero() throws Exception {
    String queue = TaskTestSupport.uniqueQueue("plinth-priority");
    Map<String, String> env = TaskTestSupport.environment(TaskTestSupport.freshDatabase(), queue);
    env.put("PLINTH_TASKS_MAX_PRIORITY", "10");
    env.put("PLINTH_TASKS_PREFETCH", "1");
    env.put("APP_WORKER_COUNT", "1");
    TestTasks.RECORDED.clear();
    try (Connection rabbit = TaskTestSupport.rabbit()) {
      try {
        // A producer alone first (WEB enqueues, consumes nothing): the backlog, then two
        // urgent tasks.
        try (ApplicationContext producer =
            PlinthApplication.builder(TestModes.WEB, Application.class, env).start()) {
          TaskQueue tasks = producer.getBean(TaskQueue.class);
          for (int i = 0; i < 20; i++) {
            tasks.enqueue(
                TestTasks.RECORD, new TestTasks.Record("low-" + i), TaskOptions.defaults());
          }
          for (String key : new String[] {"urgent-1", "urgent-2"}) {
            tasks.enqueue(
                TestTasks.RECORD, new TestTasks.Record(key), TaskOptions.defaults().priority(9));
          }
        }
        try (Channel channel = rabbit.createChannel()) {
          assertThat(channel.queueDeclarePassive(queue).getMessageCount()).isEqualTo(22);
        }
        try (ApplicationContext worker =
            PlinthApplication.builder(Application.MODE, Application.class, env).start()) {
          assertThat(worker.isRunning()).isTrue();
          await().atMost(Duration.ofSeconds(30)).until(() -> TestTasks.RECORDED.size() == 22);
        }
        assertThat(TestTasks.RECORDED.subList(0, 2))
            .containsExactlyInAnyOrder("urgent-1", "urgent-2");
      } finally {
        TaskTestSupport.deleteTopology(rabbit, queue);
      }
    }
  }
}
