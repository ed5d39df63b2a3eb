package dev.plinth.task;

import dev.plinth.platform.tasks.TaskContext;
import dev.plinth.platform.tasks.TaskDefinition;
import dev.plinth.platform.tasks.TaskHandler;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

/** Handlers on the test class path, so a TASK process started on it can {@code run} them. */
public final class TestHandlers {
  private TestHandlers() {}

  @Serdeable
  public record Shout(String text) {}

  public static final TaskDefinition<Shout> SHOUT = TaskDefinition.of("test.shout", Shout.class);

  @Singleton
  public static class ShoutHandler implements TaskHandler<Shout> {
    @Override
    public TaskDefinition<Shout> definition() {
      return SHOUT;
    }

    @Override
    public Object run(Shout payload, TaskContext context) {
      if (payload.text() == null || payload.text().isEmpty()) {
        throw new IllegalArgumentException("nothing to shout");
      }
      return new Shout(payload.text().toUpperCase(java.util.Locale.ROOT));
    }
  }

  @Serdeable
  public record Linger(String marker) {}

  public static final TaskDefinition<Linger> LINGER =
      TaskDefinition.of("test.linger", Linger.class);

  /** Waits to be interrupted, then cleans up: writes to its marker file at each step. */
  @Singleton
  public static class LingerHandler implements TaskHandler<Linger> {
    @Override
    public TaskDefinition<Linger> definition() {
      return LINGER;
    }

    @Override
    public Object run(Linger payload, TaskContext context) throws Exception {
      java.nio.file.Path marker = java.nio.file.Path.of(payload.marker());
      java.nio.file.Files.writeString(marker, "started\n");
      try {
        Thread.sleep(120_000);
        return "never interrupted";
      } catch (InterruptedException e) {
        java.nio.file.Files.writeString(
            marker, "cleaned up\n", java.nio.file.StandardOpenOption.APPEND);
        Thread.currentThread().interrupt();
        return "interrupted";
      }
    }
  }
}
