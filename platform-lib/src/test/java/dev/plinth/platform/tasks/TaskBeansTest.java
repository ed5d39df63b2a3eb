package dev.plinth.platform.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.rabbitmq.client.Connection;
import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.config.RunMode;
import dev.plinth.platform.tasks.broker.BrokerCheck;
import dev.plinth.platform.tasks.broker.BrokerClient;
import dev.plinth.platform.tasks.execution.TaskExecution;
import dev.plinth.platform.tasks.queue.AmqpTaskQueue;
import dev.plinth.platform.tasks.queue.InProcessTaskQueue;
import dev.plinth.platform.tasks.state.TaskRuns;
import dev.plinth.platform.testing.LogCapture;
import dev.plinth.platform.testing.TestModes;
import dev.plinth.platform.testing.TestServices;
import io.micronaut.context.ApplicationContext;
import io.micronaut.health.HealthStatus;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.rabbitmq.connect.RabbitConnectionFactoryConfig;
import io.micronaut.rabbitmq.health.RabbitMQHealthIndicator;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

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
      // micronaut-rabbitmq is switched off: no connection to a broker nobody configured.
      assertThat(context.containsBean(RabbitConnectionFactoryConfig.class)).isFalse();
      assertThat(context.containsBean(Connection.class)).isFalse();
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
  void theBrokerConnectionsAreMicronautRabbitMqsConfiguredFromTheContract() throws Exception {
    Map<String, String> broker = TestServices.brokerVariables();
    try (ApplicationContext context = start(TestModes.WEB, broker)) {
      for (String name :
          List.of(PlinthProperties.BROKER_PUBLISHER, PlinthProperties.BROKER_CONSUMER)) {
        RabbitConnectionFactoryConfig config =
            context.getBean(RabbitConnectionFactoryConfig.class, Qualifiers.byName(name));
        assertThat(config.getHost()).isEqualTo(broker.get("RABBITMQ_HOST"));
        assertThat(config.getPort()).isEqualTo(Integer.parseInt(broker.get("RABBITMQ_PORT")));
        assertThat(config.getRequestedHeartbeat()).isEqualTo(30);
        assertThat(config.isAutomaticRecoveryEnabled()).isTrue();
        assertThat(config.isTopologyRecoveryEnabled()).isTrue();
      }
      BrokerClient client = context.getBean(BrokerClient.class);
      assertThat(client.publisherConnection())
          .isSameAs(
              context.getBean(
                  Connection.class, Qualifiers.byName(PlinthProperties.BROKER_PUBLISHER)));
      assertThat(client.consumerConnection())
          .isSameAs(
              context.getBean(
                  Connection.class, Qualifiers.byName(PlinthProperties.BROKER_CONSUMER)));
      assertThat(client.publisherConnection()).isNotSameAs(client.consumerConnection());
      // Its health indicator serves the management health endpoint.
      HealthResult health =
          Mono.from(context.getBean(RabbitMQHealthIndicator.class).getResult()).block();
      assertThat(health.getStatus()).isEqualTo(HealthStatus.UP);
    }
  }

  @Test
  void anUnreachableBrokerFailsItsCheckWithAStableIdAndStopsCleanly() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      try (ApplicationContext context =
          start(TestModes.WEB, Map.of("RABBITMQ_HOST", "127.0.0.1", "RABBITMQ_PORT", "1"))) {
        assertThat(context.getBean(BrokerCheck.class).run())
            .singleElement()
            .satisfies(m -> assertThat(m.id()).isEqualTo("plinth.broker.E002"));
        // Asked again, it tries again, and says where and why.
        assertThatThrownBy(() -> context.getBean(BrokerClient.class).publisherConnection())
            .isInstanceOf(TaskQueue.TaskPublishException.class)
            .hasMessage("cannot connect to RabbitMQ at 127.0.0.1:1/: connection refused");
      }
      assertThat(logs.events()).noneMatch(e -> e.getLevel() == Level.ERROR);
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
