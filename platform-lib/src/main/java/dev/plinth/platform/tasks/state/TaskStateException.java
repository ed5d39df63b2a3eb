package dev.plinth.platform.tasks.state;

import java.sql.SQLException;

/**
 * The run-state table could not be written. Usually the database is away and the message stays
 * unacknowledged for a later try; when {@link #refused()}, the row itself can never be written.
 */
public final class TaskStateException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean refused;

  TaskStateException(String what, SQLException cause) {
    super(what + ": " + cause.getMessage(), cause);
    String code = cause.getSQLState();
    // SQLState class 22 (data exception) or 23 (integrity constraint violation): the row's own
    // values are refused, and trying again gives the same answer.
    this.refused = code != null && (code.startsWith("22") || code.startsWith("23"));
  }

  /** Whether the database refused the row's values, so retrying the message cannot help. */
  public boolean refused() {
    return refused;
  }
}
