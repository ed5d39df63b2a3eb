package dev.plinth.platform.tasks;

/**
 * An attempt ran past its soft time limit (Celery's {@code SoftTimeLimitExceeded}): thrown by
 * {@link TaskContext#checkSoftTimeLimit()}, and what an attempt that failed after its soft limit
 * fails with, whatever the handler threw on the interrupt. A handler may catch it to clean up.
 */
public final class SoftTimeLimitExceededException extends Exception {
  private static final long serialVersionUID = 1L;

  public SoftTimeLimitExceededException() {
    super("soft time limit exceeded");
  }
}
