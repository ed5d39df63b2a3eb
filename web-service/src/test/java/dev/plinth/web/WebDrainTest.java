package dev.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.testing.FreePorts;
import dev.plinth.platform.testing.ModeProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a WEB process under a steady load, as {@code docker stop} or an orchestrator sends it:
 * the load balancer's probe turns 503 while every other request is still served, the requests in
 * flight when the listener closes are answered, and the process exits 0.
 */
class WebDrainTest {
  private static final long DELAY_MILLIS = 3000;

  // Threads of its own: the common pool has one thread on a two-core machine.
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @TempDir Path dataDir;

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  /** One request on a connection of its own: its status, or how it failed. */
  record Outcome(long startedAt, String path, int status, String failure) {
    boolean refused() {
      return failure != null && failure.startsWith(ConnectException.class.getName());
    }

    boolean resetUnanswered() {
      return failure != null && failure.endsWith("Connection reset");
    }
  }

  @Test
  void sigtermDrainsWithoutFailingAnAcceptedRequestAndExitsZero() throws Exception {
    int port = FreePorts.pick();
    Process process =
        ModeProcess.of(
                Application.class,
                Map.of(
                    "PATH", System.getenv("PATH"),
                    "APP_DEBUG", "true",
                    "APP_DATA_DIR", dataDir.toString(),
                    "PORT", Integer.toString(port),
                    "APP_MANAGEMENT_PORT", Integer.toString(FreePorts.pick()),
                    "APP_SHUTDOWN_DELAY_SECONDS", Long.toString(DELAY_MILLIS / 1000),
                    "APP_SHUTDOWN_GRACE_SECONDS", "20",
                    "PLINTH_TEST_SLOW", "true"))
            .start();
    CompletableFuture<String> stdout = ModeProcess.read(process.getInputStream());
    CompletableFuture<String> stderr = ModeProcess.read(process.getErrorStream());
    List<Outcome> load = new CopyOnWriteArrayList<>();
    AtomicBoolean loading = new AtomicBoolean(true);
    try {
      await()
          .atMost(ModeProcess.HANG_LIMIT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> get(port, "/__lbheartbeat__").status() == 200);
      List<CompletableFuture<Void>> loaders =
          List.of(loop(port, "/api/notes", load, loading), loop(port, "/", load, loading));
      CompletableFuture<Outcome> beforeSignal =
          CompletableFuture.supplyAsync(
              () -> get(port, "/test-only/slow?ms=" + 2 * DELAY_MILLIS), threads);
      // The load is flowing and the long request is in before the signal.
      await().atMost(Duration.ofSeconds(30)).until(() -> load.size() >= 10);

      long signalledAt = System.nanoTime();
      // SIGTERM through the handle: Process.destroy() would also close our end of its output.
      process.toHandle().destroy();

      // The probe turns 503 at once; the service itself still answers.
      Outcome probe =
          await()
              .atMost(Duration.ofMillis(DELAY_MILLIS))
              .until(() -> get(port, "/__lbheartbeat__"), o -> o.status() == 503);
      Outcome served = get(port, "/api/notes");
      assertThat(served.status()).as(served.toString()).isEqualTo(200);
      assertThat(probe.status()).isEqualTo(503);
      // A request that is still running when the listener closes is answered too.
      long untilClose =
          DELAY_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalledAt);
      Thread.sleep(Math.max(0, untilClose - 1000));
      CompletableFuture<Outcome> duringDelay =
          CompletableFuture.supplyAsync(() -> get(port, "/test-only/slow?ms=2500"), threads);

      assertThat(process.waitFor(ModeProcess.HANG_LIMIT.toSeconds(), TimeUnit.SECONDS))
          .as("WEB exits by itself after the drain")
          .isTrue();
      loading.set(false);
      CompletableFuture.allOf(loaders.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      String output = stdout.get(30, TimeUnit.SECONDS) + stderr.get(30, TimeUnit.SECONDS);

      assertThat(process.exitValue()).as(output).isZero();
      assertThat(beforeSignal.get().status()).as(beforeSignal.get().toString()).isEqualTo(200);
      assertThat(duringDelay.get().status()).as(duringDelay.get().toString()).isEqualTo(200);
      assertThat(output).contains("shutdown.drain").contains("shutdown.complete");
      // Every request sent before the listener could have closed was answered with 200. After
      // it closed, new connections are refused; one that reached the kernel's accept queue just
      // before is reset without an answer (nothing can accept it once the listener is gone,
      // which is why the load balancer is given the delay to stop sending).
      long safeUntil = signalledAt + TimeUnit.MILLISECONDS.toNanos(DELAY_MILLIS / 2);
      assertThat(load).filteredOn(o -> o.startedAt() < signalledAt).isNotEmpty();
      assertThat(load)
          .filteredOn(o -> o.startedAt() < safeUntil)
          .allSatisfy(o -> assertThat(o.status()).as(o.toString()).isEqualTo(200));
      assertThat(load)
          .filteredOn(o -> o.status() != 200)
          .allSatisfy(
              o -> assertThat(o.refused() || o.resetUnanswered()).as(o.toString()).isTrue());
      assertThat(load).filteredOn(Outcome::refused).isNotEmpty();
    } catch (AssertionError e) {
      process.destroyForcibly();
      throw new AssertionError(
          e.getMessage() + "\n--- the process said\n" + stdout.get() + stderr.get(), e);
    } finally {
      loading.set(false);
      process.destroyForcibly();
    }
  }

  private CompletableFuture<Void> loop(
      int port, String path, List<Outcome> outcomes, AtomicBoolean loading) {
    return CompletableFuture.runAsync(
        () -> {
          while (loading.get()) {
            Outcome outcome = get(port, path);
            outcomes.add(outcome);
            if (outcome.refused()) {
              pause();
            }
          }
        },
        threads);
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A GET on a fresh connection, so no pooled connection blurs what the server accepted. */
  private static Outcome get(int port, String path) {
    long startedAt = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!response.startsWith("HTTP/1.1 ")) {
        return new Outcome(startedAt, path, 0, "no response: '" + response + "'");
      }
      int status = Integer.parseInt(response.substring(9, 12));
      return new Outcome(startedAt, path, status, status == 200 ? null : response);
    } catch (IOException e) {
      return new Outcome(startedAt, path, 0, e.toString());
    }
  }
}
