package dev.plinth.platform.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where the tests' services are: local on the default ports in a normal run, in containers when the
 * local ports are hidden (scripts/containers-slice.sh), and a failure that says what to start when
 * there is neither.
 */
class TestServicesTest {
  private static final boolean HIDDEN =
      "hidden".equalsIgnoreCase(System.getenv().getOrDefault("PLINTH_TEST_LOCAL_SERVICES", ""));

  @Test
  void eachServiceAnswersWhereTheTestsAreToldItIs() throws Exception {
    for (TestServices.Service service : TestServices.Service.values()) {
      assertThat(TestServices.inContainer(service)).as(service.name()).isEqualTo(HIDDEN);
    }
    if (!HIDDEN) {
      assertThat(TestServices.postgres()).isEqualTo(new TestServices.Endpoint("127.0.0.1", 5432));
      assertThat(TestServices.redis()).isEqualTo(new TestServices.Endpoint("127.0.0.1", 6379));
      assertThat(TestServices.rabbitmq()).isEqualTo(new TestServices.Endpoint("127.0.0.1", 5672));
    }

    try (PostgresTestDatabase db = PostgresTestDatabase.create();
        Connection connection = db.connect();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT current_database()")) {
      assertThat(row.next()).isTrue();
      assertThat(row.getString(1)).isEqualTo(db.name());
    }
    try (RedisTestDatabase redis = RedisTestDatabase.take()) {
      assertThat(redis.commands().ping()).isEqualTo("PONG");
    }
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestServices.rabbitmq().host());
    factory.setPort(TestServices.rabbitmq().port());
    try (com.rabbitmq.client.Connection amqp = factory.newConnection("test-services")) {
      assertThat(amqp.isOpen()).isTrue();
    }
    assertThat(TestServices.rabbitmqctl("list_vhosts")).contains("/");
  }

  @Test
  void withNeitherTheLocalServiceNorAnEngineTheFailureSaysWhatToStart() throws Exception {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Probe.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PLINTH_TEST_LOCAL_SERVICES", "hidden");
    builder.environment().put("DOCKER_HOST", "unix:///nonexistent/docker.sock");
    builder.environment().put("TESTCONTAINERS_RYUK_DISABLED", "true");
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(out)
        .contains(
            "PostgreSQL (local port hidden) and no container engine is reachable (DOCKER_HOST):"
                + " start PostgreSQL (`service postgresql start`, trust auth for postgres) or a"
                + " container engine");
  }

  /** Asks for PostgreSQL in a JVM of its own and prints why it cannot have it. */
  static final class Probe {
    public static void main(String[] args) {
      try {
        System.out.println(TestServices.postgres());
      } catch (IllegalStateException e) {
        System.out.println(e.getMessage());
      }
    }
  }
}
