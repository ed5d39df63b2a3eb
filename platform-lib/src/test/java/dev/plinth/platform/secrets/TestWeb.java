package dev.plinth.platform.secrets;

import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.config.RunMode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A WEB process started in-process on an environment of the test's own, spoken to over real HTTP on
 * its public and management ports.
 */
public final class TestWeb implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final ApplicationContext context;
  private final int managementPort;

  private TestWeb(ApplicationContext context, int managementPort) {
    this.context = context;
    this.managementPort = managementPort;
  }

  /** Starts WEB with {@code variables} on top of a minimal valid environment. */
  public static TestWeb start(Map<String, String> variables, Map<String, Object> properties) {
    try {
      Path dataDir = Files.createTempDirectory("plinth-test-");
      int managementPort = freePort();
      Map<String, String> env = new HashMap<>();
      env.put("PORT", "0");
      env.put("APP_MANAGEMENT_PORT", Integer.toString(managementPort));
      env.put("APP_DATA_DIR", dataDir.toString());
      env.put("APP_SECRET_KEY", "a-test-secret-key-long-enough");
      env.putAll(variables);
      ApplicationContext context =
          PlinthApplication.builder(RunMode.WEB, Main.class, env).properties(properties).start();
      return new TestWeb(context, managementPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ApplicationContext context() {
    return context;
  }

  public HttpResponse<String> get(String path, Map<String, String> headers) {
    return get(
        URI.create("http://127.0.0.1:" + context.getBean(EmbeddedServer.class).getPort() + path),
        headers);
  }

  public HttpResponse<String> management(String path) {
    return get(URI.create("http://127.0.0.1:" + managementPort + path), Map.of());
  }

  private static HttpResponse<String> get(URI uri, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    headers.forEach(request::header);
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    context.close();
  }

  /** The "main class" of the test process. */
  public static final class Main {
    private Main() {}
  }
}
