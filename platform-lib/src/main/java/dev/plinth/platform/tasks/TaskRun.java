package dev.plinth.platform.tasks;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** A task run as recorded in {@code task_run}: what {@code GET /api/tasks/{id}} shows. */
@Serdeable
public record TaskRun(
    String id,
    String taskName,
    String status,
    int attempts,
    String rid,
    Instant enqueuedAt,
    Instant startedAt,
    Instant finishedAt,
    String error) {
  public static final String QUEUED = "queued";
  public static final String RUNNING = "running";
  public static final String FAILED = "failed";
  public static final String SUCCEEDED = "succeeded";
  public static final String DEAD = "dead";
}
