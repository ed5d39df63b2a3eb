package dev.plinth.example.export;

import dev.plinth.platform.tasks.TaskDefinition;
import io.micronaut.serde.annotation.Serdeable;

/** The example's task contracts: WEB enqueues them, the worker (or WEB in process) runs them. */
public final class ExportTasks {
  private ExportTasks() {}

  /** Export every note as CSV; the file is stored under the run id. */
  @Serdeable
  public record ExportNotes(String requestedBy) {}

  public static final TaskDefinition<ExportNotes> EXPORT_NOTES =
      TaskDefinition.of("example.export_notes", ExportNotes.class);
}
