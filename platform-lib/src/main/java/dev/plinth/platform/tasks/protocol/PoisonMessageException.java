package dev.plinth.platform.tasks.protocol;

/**
 * A message that no retry can fix (not JSON, unknown task, payload of the wrong shape, missing
 * headers): it goes straight to the dead-letter queue with {@link #reason()}.
 */
public final class PoisonMessageException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public PoisonMessageException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public PoisonMessageException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** A stable short code: {@code not-json}, {@code unknown-task}, {@code bad-payload}, ... */
  public String reason() {
    return reason;
  }
}
