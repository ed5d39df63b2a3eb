package dev.plinth.platform.tasks.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.tasks.TaskQueue;
import dev.plinth.platform.testing.TcpProxy;
import dev.plinth.platform.testing.TestModes;
import dev.plinth.platform.testing.TestServices;
import dev.plinth.platform.testing.tls.TestCertificates;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AMQP over TLS, as Amazon MQ for RabbitMQ serves it: a TLS endpoint (a terminating proxy with a
 * certificate from a test authority) in front of the tests' broker.
 */
class BrokerTlsTest {
  @TempDir static Path dir;
  static TestCertificates authority;
  static TestCertificates.Server broker;
  static TestCertificates.Server wrongName;
  static TestCertificates.Server unknownAuthority;

  @BeforeAll
  static void certificates() {
    authority = TestCertificates.authority(dir, "Plinth test CA");
    broker = authority.issue("broker", "DNS:localhost", "IP:127.0.0.1");
    wrongName = authority.issue("elsewhere", "DNS:elsewhere.example");
    unknownAuthority =
        TestCertificates.authority(dir, "Unknown CA").issue("impostor", "DNS:localhost");
  }

  private static TcpProxy endpoint(TestCertificates.Server certificate) {
    TestServices.Endpoint rabbit = TestServices.rabbitmq();
    return TcpProxy.startTls(rabbit.host(), rabbit.port(), certificate.serverContext());
  }

  private static ApplicationContext start(TcpProxy endpoint, Map<String, String> extra)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("APP_DEBUG", "true");
    env.put("PORT", "0");
    env.put("APP_MANAGEMENT_PORT", "0");
    env.put("APP_DATA_DIR", dir.resolve("data").toString());
    env.put("RABBITMQ_HOST", "localhost");
    env.put("RABBITMQ_PORT", String.valueOf(endpoint.port()));
    env.put("APP_CA_BUNDLE", authority.certificate().toString());
    env.putAll(extra);
    return PlinthApplication.builder(TestModes.WEB, BrokerTlsTest.class, env).start();
  }

  @Test
  void bothConnectionsSpeakTlsToAVerifiedBroker() throws Exception {
    try (TcpProxy endpoint = endpoint(broker);
        ApplicationContext context = start(endpoint, Map.of("RABBITMQ_TLS", "true"))) {
      BrokerClient client = context.getBean(BrokerClient.class);
      assertThat(context.getBean(BrokerCheck.class).run()).isEmpty();
      String queue;
      try (Channel publisher = client.publisherConnection().createChannel()) {
        // Not exclusive: the consumer connection reads it. It expires on its own.
        queue =
            publisher.queueDeclare("", false, false, false, Map.of("x-expires", 60_000)).getQueue();
        publisher.basicPublish("", queue, null, "over TLS".getBytes(StandardCharsets.UTF_8));
      }
      try (Channel consumer = client.consumerConnection().createChannel()) {
        String read = queue;
        GetResponse message =
            await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> consumer.basicGet(read, true), java.util.Objects::nonNull);
        assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("over TLS");
      }
    }
  }

  @Test
  void aCertificateForAnotherHostIsRefused() throws Exception {
    try (TcpProxy endpoint = endpoint(wrongName);
        ApplicationContext context = start(endpoint, Map.of("RABBITMQ_TLS", "true"))) {
      assertThat(context.getBean(BrokerCheck.class).run())
          .singleElement()
          .satisfies(m -> assertThat(m.id()).isEqualTo("plinth.broker.E002"));
      assertThatThrownBy(() -> context.getBean(BrokerClient.class).publisherConnection())
          .isInstanceOf(TaskQueue.TaskPublishException.class)
          .hasMessageStartingWith(
              "cannot connect to RabbitMQ at localhost:" + endpoint.port() + "/: ")
          .hasMessageContaining("No subject alternative DNS name matching localhost found");
    }
  }

  @Test
  void aCertificateFromAnUnknownAuthorityIsRefused() throws Exception {
    try (TcpProxy endpoint = endpoint(unknownAuthority);
        ApplicationContext context = start(endpoint, Map.of("RABBITMQ_TLS", "true"))) {
      assertThatThrownBy(() -> context.getBean(BrokerClient.class).publisherConnection())
          .isInstanceOf(TaskQueue.TaskPublishException.class)
          .hasMessageEndingWith(": unable to find valid certification path to requested target");
    }
  }

  @Test
  void withoutTheBundleTheTestAuthorityIsUnknown() throws Exception {
    try (TcpProxy endpoint = endpoint(broker);
        ApplicationContext context =
            start(endpoint, Map.of("RABBITMQ_TLS", "true", "APP_CA_BUNDLE", ""))) {
      assertThatThrownBy(() -> context.getBean(BrokerClient.class).publisherConnection())
          .isInstanceOf(TaskQueue.TaskPublishException.class)
          .hasMessageEndingWith(": unable to find valid certification path to requested target");
    }
  }
}
