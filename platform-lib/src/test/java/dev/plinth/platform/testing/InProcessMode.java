package dev.plinth.platform.testing;

import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.config.RunMode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.EmbeddedApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A mode started in this JVM on an environment of the test's own, with its public and management
 * ports chosen free, and plain HTTP (java.net.http) to call it as a client would.
 *
 * <pre>{@code
 * Map<String, String> env = InProcessMode.localEnvironment(tempDir);
 * try (InProcessMode web = InProcessMode.start(TestModes.WEB, Application.class, env)) {
 *   HttpResponse<String> response = web.get("/__heartbeat__");
 * }
 * }</pre>
 */
public final class InProcessMode implements AutoCloseable {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final ApplicationContext context;
  private final int port;
  private final int managementPort;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private InProcessMode(ApplicationContext context, int port, int managementPort) {
    this.context = context;
    this.port = port;
    this.managementPort = managementPort;
  }

  /**
   * The variables of a local debug run: {@code APP_DEBUG=true}, free {@code PORT} and {@code
   * APP_MANAGEMENT_PORT}, {@code APP_DATA_DIR} in {@code dataDir}. A mutable copy: add to it.
   */
  public static Map<String, String> localEnvironment(Path dataDir) {
    Map<String, String> env = new HashMap<>();
    env.put("APP_DEBUG", "true");
    env.put("PORT", String.valueOf(FreePorts.pick()));
    env.put("APP_MANAGEMENT_PORT", String.valueOf(FreePorts.pick()));
    env.put("APP_DATA_DIR", dataDir.toString());
    return env;
  }

  /**
   * Starts {@code mode} on {@code env} (it replaces the process environment); {@code PORT} and
   * {@code APP_MANAGEMENT_PORT} must be set, as {@link #localEnvironment} does.
   */
  public static InProcessMode start(RunMode mode, Class<?> mainClass, Map<String, String> env) {
    return start(mode, mainClass, env, Map.of());
  }

  /**
   * As {@link #start(RunMode, Class, Map)}, with Micronaut properties on top of everything else:
   * for what the environment contract does not carry, such as a test double's class name.
   */
  public static InProcessMode start(
      RunMode mode, Class<?> mainClass, Map<String, String> env, Map<String, Object> properties) {
    // Not builder.start(): on a start-up failure Micronaut.start() calls System.exit, which would
    // end the test JVM; here the failure is thrown to the test instead.
    ApplicationContext context =
        PlinthApplication.builder(mode, mainClass, env).properties(properties).build();
    try {
      context.start();
      context.findBean(EmbeddedApplication.class).ifPresent(application -> application.start());
    } catch (RuntimeException e) {
      if (context.isRunning()) {
        context.close();
      }
      throw e;
    }
    return new InProcessMode(
        context,
        Integer.parseInt(env.get("PORT")),
        Integer.parseInt(env.get("APP_MANAGEMENT_PORT")));
  }

  /**
   * Starts the platform alone ({@link PlatformTestApplication}) in {@code mode} on {@link
   * #localEnvironment} plus {@code variables}, with Micronaut {@code properties} on top.
   */
  public static InProcessMode startPlatform(
      RunMode mode, Path dataDir, Map<String, String> variables, Map<String, Object> properties) {
    Map<String, String> env = localEnvironment(dataDir);
    env.putAll(variables);
    return start(mode, PlatformTestApplication.class, env, properties);
  }

  public ApplicationContext context() {
    return context;
  }

  /** The public port ({@code PORT}). */
  public int port() {
    return port;
  }

  /** The management port ({@code APP_MANAGEMENT_PORT}). */
  public int managementPort() {
    return managementPort;
  }

  /** GET {@code path} on the public port. */
  public HttpResponse<String> get(String path) {
    return get(port, path);
  }

  /** GET {@code path} on {@code port} of the loopback interface. */
  public HttpResponse<String> get(int port, String path) {
    return get(port, path, Map.of());
  }

  /** GET {@code path} on {@code port} of the loopback interface, with request headers. */
  public HttpResponse<String> get(int port, String path, Map<String, String> headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(REQUEST_TIMEOUT)
            .GET();
    headers.forEach(builder::header);
    HttpRequest request = builder.build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path + " on port " + port + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during GET " + path, e);
    }
  }

  /** A JSON object body (a heartbeat, a problem) as maps, lists, strings and numbers. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> json(HttpResponse<String> response) {
    try {
      return context.getBean(JsonMapper.class).readValue(response.body(), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException("not a JSON object: " + response.body(), e);
    }
  }

  /** Stops the mode (its server, pools and threads). Idempotent. */
  @Override
  public void close() {
    if (context.isRunning()) {
      context.close();
    }
  }
}
