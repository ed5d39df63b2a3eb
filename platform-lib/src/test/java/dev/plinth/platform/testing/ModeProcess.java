package dev.plinth.platform.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a mode's {@code main} as a child JVM, the way an orchestrator would: on the test's own class
 * path and on an environment of the test's choosing (nothing is inherited from the test's process),
 * capturing exit status, stdout and stderr.
 */
public final class ModeProcess {
  /** How long a child may run before it counts as hung and is killed: a safeguard, not a test. */
  public static final Duration HANG_LIMIT = Duration.ofSeconds(90);

  private final Class<?> mainClass;
  private final Map<String, String> environment;

  private ModeProcess(Class<?> mainClass, Map<String, String> environment) {
    this.mainClass = mainClass;
    this.environment = Map.copyOf(environment);
  }

  /** A child running {@code mainClass} on exactly {@code environment}. */
  public static ModeProcess of(Class<?> mainClass, Map<String, String> environment) {
    return new ModeProcess(mainClass, environment);
  }

  /** Starts the child and waits for it to exit by itself. */
  public Result runToExit() {
    Process process = start();
    CompletableFuture<String> stdout = read(process.getInputStream());
    CompletableFuture<String> stderr = read(process.getErrorStream());
    try {
      if (!process.waitFor(HANG_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            mainClass.getName() + " did not exit within " + HANG_LIMIT + "; killed it");
      }
      return new Result(
          process.exitValue(),
          stdout.get(HANG_LIMIT.toSeconds(), TimeUnit.SECONDS),
          stderr.get(HANG_LIMIT.toSeconds(), TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new AssertionError("interrupted while waiting for " + mainClass.getName(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("could not read the output of " + mainClass.getName(), e);
    }
  }

  /** Starts the child; the caller owns the process (and stops it). */
  public Process start() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(environment);
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command, e);
    }
  }

  /**
   * Everything {@code stream} yields until it ends, read on a thread of its own: the common pool
   * may have a single thread, and a pipe nobody reads blocks the child.
   */
  public static CompletableFuture<String> read(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        task -> {
          Thread reader = new Thread(task, "mode-process-output");
          reader.setDaemon(true);
          reader.start();
        });
  }

  /** How a child ended. */
  public record Result(int exitCode, String stdout, String stderr) {
    /** stderr's lines, without empty ones. */
    public List<String> stderrLines() {
      return stderr.lines().filter(line -> !line.isBlank()).toList();
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }
}
