package dev.plinth.platform.tasks.revoke;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.tasks.broker.ControlMailbox;
import dev.plinth.platform.tasks.execution.TaskExecution;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * Revokes tasks from Plinth, as {@code AsyncResult.revoke()} does from Python: stored (so that a
 * worker started later honours it), broadcast on Celery's control exchange (every running worker,
 * Plinth's or Celery's, hears it), and, with {@code terminate}, the attempts running now are
 * interrupted — here and in every Plinth worker.
 */
@Singleton
@Requires(property = PlinthProperties.TASKS_ENABLED, notEquals = "false")
public class TaskRevoker {
  private final Revocations revocations;
  private final TaskExecution execution;
  private final ControlMailbox mailbox;

  public TaskRevoker(
      Revocations revocations, TaskExecution execution, Optional<ControlMailbox> mailbox) {
    this.revocations = revocations;
    this.execution = execution;
    this.mailbox = mailbox.orElse(null);
  }

  /** Revokes {@code taskIds}; a delivery of any of them is acknowledged without running. */
  public void revoke(List<String> taskIds, boolean terminate) {
    revocations.revoke(taskIds);
    if (mailbox != null) {
      mailbox.revoke(taskIds, terminate);
    }
    if (terminate) {
      execution.terminate(taskIds);
    }
  }
}
