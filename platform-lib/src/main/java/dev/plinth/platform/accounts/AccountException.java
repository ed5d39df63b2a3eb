package dev.plinth.platform.accounts;

/** An account that cannot be made or changed as asked; the message says why, and no secret. */
public class AccountException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AccountException(String message) {
    super(message);
  }

  public AccountException(String message, Throwable cause) {
    super(message, cause);
  }
}
