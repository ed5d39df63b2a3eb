package dev.plinth.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * A server of CouchDB's HTTP API for a test: pouchdb-server, in memory, on a free port of
 * 127.0.0.1, as {@code scripts/install-test-deps.sh} installs it (Debian has no CouchDB). Its
 * {@link #environment} points a mode at it; {@link #stop()} takes it away mid-test.
 */
public final class PouchDbServer implements AutoCloseable {
  private static final String VERSION = "4.2.0";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final int port;

  private PouchDbServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts a server and waits until it answers. */
  public static PouchDbServer start() {
    Path home =
        Path.of(
            System.getenv()
                .getOrDefault(
                    "PLINTH_POUCHDB_DIR",
                    System.getProperty("user.home") + "/.cache/plinth/pouchdb-server-" + VERSION));
    Path bin = home.resolve("node_modules/.bin/pouchdb-server");
    if (!Files.isExecutable(bin)) {
      throw new IllegalStateException(
          "pouchdb-server is not installed at " + bin + ": run scripts/install-test-deps.sh");
    }
    int port = FreePorts.pick();
    try {
      Path dir = Files.createTempDirectory("plinth-pouchdb");
      ProcessBuilder builder =
          new ProcessBuilder(
                  bin.toString(),
                  "--in-memory",
                  "--host",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(port))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("server.log").toFile());
      PouchDbServer server = new PouchDbServer(builder.start(), port);
      server.awaitUp();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitUp() {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("pouchdb-server exited with " + process.exitValue());
      }
      try {
        if (send("GET", "/", null, null).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("pouchdb-server did not answer within 30 s on port " + port);
  }

  public int port() {
    return port;
  }

  /** Makes {@code user} a server admin: the server then refuses anonymous writes. */
  public void addAdmin(String user, String password) throws IOException {
    HttpResponse<String> response =
        send("PUT", "/_config/admins/" + user, "\"" + password + "\"", null);
    if (response.statusCode() != 200) {
      throw new IOException("adding admin " + user + ": " + response.statusCode());
    }
  }

  /** A request as {@code user:password} (null: anonymous). */
  public HttpResponse<String> send(String method, String path, String body, String credentials)
      throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (credentials != null) {
      request.header(
          "Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes()));
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** The {@code COUCHDB_*} variables for database {@code database} as {@code user}. */
  public Map<String, String> environment(String database, String user, String password) {
    return Map.of(
        "COUCHDB_HOST", "127.0.0.1",
        "COUCHDB_PORT", Integer.toString(port),
        "COUCHDB_DATABASE", database,
        "COUCHDB_USERNAME", user,
        "COUCHDB_PASSWORD", password);
  }

  /** Stops the server (its data is gone: it kept it in memory). */
  public void stop() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
