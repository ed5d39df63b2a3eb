package dev.plinth.platform.testing;

import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitAllStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * Where the tests find PostgreSQL, Redis and RabbitMQ. The local servers on their default ports
 * when they answer (every machine of this project has them); otherwise, when a container engine is
 * reachable, one container of each for the whole test JVM, started by Testcontainers from the
 * images {@code postgres:15}, {@code redis:7} and {@code rabbitmq:3} (or, where no registry is,
 * their stand-ins built from Debian's packages: {@link StandInImages}); otherwise a failure that
 * says what to start.
 *
 * <p>{@code PLINTH_TEST_LOCAL_SERVICES=hidden} (or the system property {@code
 * plinth.test.local-services}) ignores the local ports, so that the container path runs even where
 * the local servers are up: CI runs a slice of the suite that way.
 */
public final class TestServices {
  /** Where a service answers. */
  public record Endpoint(String host, int port) {}

  /** The services, their local ports and the images that stand in for them. */
  public enum Service {
    POSTGRES(
        "PostgreSQL", 5432, "postgres:15", "`service postgresql start`, trust auth for postgres"),
    REDIS("Redis", 6379, "redis:7", "`redis-server --daemonize yes`"),
    RABBITMQ("RabbitMQ", 5672, "rabbitmq:3", "`service rabbitmq-server start`, guest/guest");

    final String title;
    final int port;
    final String image;
    final String howToStart;

    Service(String title, int port, String image, String howToStart) {
      this.title = title;
      this.port = port;
      this.image = image;
      this.howToStart = howToStart;
    }
  }

  private static final String LOCAL = "127.0.0.1";
  private static final Map<Service, GenericContainer<?>> CONTAINERS = new EnumMap<>(Service.class);
  private static final Map<Service, Endpoint> ENDPOINTS = new EnumMap<>(Service.class);

  private TestServices() {}

  public static Endpoint postgres() {
    return endpoint(Service.POSTGRES);
  }

  public static Endpoint redis() {
    return endpoint(Service.REDIS);
  }

  public static Endpoint rabbitmq() {
    return endpoint(Service.RABBITMQ);
  }

  /** {@code RABBITMQ_HOST} and {@code RABBITMQ_PORT} of the tests' broker. */
  public static Map<String, String> brokerVariables() {
    Endpoint broker = rabbitmq();
    return Map.of("RABBITMQ_HOST", broker.host(), "RABBITMQ_PORT", String.valueOf(broker.port()));
  }

  /** A client connection factory for the tests' broker (guest/guest). */
  public static ConnectionFactory brokerConnections() {
    Endpoint broker = rabbitmq();
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(broker.host());
    factory.setPort(broker.port());
    factory.setUsername("guest");
    factory.setPassword("guest");
    return factory;
  }

  /** Whether {@code service} runs in a container of this JVM rather than on the local port. */
  public static synchronized boolean inContainer(Service service) {
    endpoint(service);
    return CONTAINERS.containsKey(service);
  }

  /**
   * {@code rabbitmqctl ARGS} against the broker the tests use (the local CLI, or the one in the
   * container); its output. Fails when it fails.
   */
  public static String rabbitmqctl(String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 1];
    command[0] = "rabbitmqctl";
    System.arraycopy(args, 0, command, 1, args.length);
    if (inContainer(Service.RABBITMQ)) {
      Container.ExecResult result = CONTAINERS.get(Service.RABBITMQ).execInContainer(command);
      if (result.getExitCode() != 0) {
        throw new AssertionError(
            "rabbitmqctl " + String.join(" ", args) + " failed in the container: " + result);
      }
      return result.getStdout();
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(
          "rabbitmqctl " + String.join(" ", args) + " failed (is RabbitMQ running here?): " + out);
    }
    return out;
  }

  private static synchronized Endpoint endpoint(Service service) {
    Endpoint known = ENDPOINTS.get(service);
    if (known != null) {
      return known;
    }
    Endpoint endpoint;
    if (!localHidden() && answers(LOCAL, service.port)) {
      endpoint = new Endpoint(LOCAL, service.port);
    } else if (engineReachable()) {
      GenericContainer<?> container = start(service);
      CONTAINERS.put(service, container);
      endpoint = new Endpoint(container.getHost(), container.getMappedPort(service.port));
    } else {
      throw new IllegalStateException(
          service.title
              + (localHidden()
                  ? " (local port hidden)"
                  : " does not answer on " + LOCAL + ":" + service.port)
              + " and no container engine is reachable (DOCKER_HOST): start "
              + service.title
              + " ("
              + service.howToStart
              + ") or a container engine, e.g. `podman system service --time=0"
              + " unix:///tmp/podman.sock` with DOCKER_HOST=unix:///tmp/podman.sock");
    }
    ENDPOINTS.put(service, endpoint);
    return endpoint;
  }

  private static GenericContainer<?> start(Service service) {
    GenericContainer<?> container =
        new GenericContainer<>(DockerImageName.parse(service.image))
            .withExposedPorts(service.port)
            .withStartupTimeout(Duration.ofMinutes(3));
    switch (service) {
      case POSTGRES ->
          container
              .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
              // The official image's first start runs a temporary server on a socket only.
              .waitingFor(
                  new WaitAllStrategy()
                      .withStrategy(Wait.forListeningPort())
                      .withStrategy(Wait.forLogMessage(".*ready to accept connections.*\\n", 1)));
      case REDIS -> container.waitingFor(Wait.forListeningPort());
      case RABBITMQ ->
          container.waitingFor(Wait.forLogMessage(".*Server startup complete.*\\n", 1));
    }
    container.start();
    // No Ryuk on podman: the JVM's exit stops what it started.
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-" + service));
    return container;
  }

  private static boolean localHidden() {
    String setting =
        System.getProperty(
            "plinth.test.local-services",
            System.getenv().getOrDefault("PLINTH_TEST_LOCAL_SERVICES", ""));
    return setting.trim().toLowerCase(Locale.ROOT).equals("hidden");
  }

  private static boolean answers(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean engineReachable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
