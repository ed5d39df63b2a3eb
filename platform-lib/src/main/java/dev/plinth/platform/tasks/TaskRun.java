package dev.plinth.platform.tasks;

import dev.plinth.platform.secrets.SecretRedactor;
import dev.plinth.platform.secrets.SensitiveParameters;
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
  public static final String REVOKED = "revoked";

  /** The longest error text the API shows; the row keeps more, for operators. */
  public static final int SHOWN_ERROR_LENGTH = 500;

  /**
   * This run as an API caller sees it: the error redacted once more (by this process's secrets,
   * which may differ from the writer's) and bounded.
   */
  public TaskRun forCaller() {
    if (error == null) {
      return this;
    }
    String shown =
        bounded(
            SecretRedactor.forProcess().redact(SensitiveParameters.mask(error)),
            SHOWN_ERROR_LENGTH);
    return new TaskRun(
        id, taskName, status, attempts, rid, enqueuedAt, startedAt, finishedAt, shown);
  }

  /** {@code text} cut to at most {@code max} characters, marked with an ellipsis when cut. */
  public static String bounded(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
