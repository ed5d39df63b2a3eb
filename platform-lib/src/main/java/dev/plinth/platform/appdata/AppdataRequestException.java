package dev.plinth.platform.appdata;

/**
 * An appdata operation the caller asked for and the store cannot do as asked: HTTP answers with
 * {@link #status()} and a problem saying why, never a 500.
 */
public abstract class AppdataRequestException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  protected AppdataRequestException(String message) {
    super(message);
  }

  /** The HTTP status that answers it. */
  public abstract int status();
}
