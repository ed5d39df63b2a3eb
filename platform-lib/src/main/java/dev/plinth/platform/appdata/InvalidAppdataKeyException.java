package dev.plinth.platform.appdata;

/** A key or prefix that breaks the {@link AppdataKey} rules; HTTP answers 400. */
public class InvalidAppdataKeyException extends AppdataRequestException {
  private static final long serialVersionUID = 1L;

  public InvalidAppdataKeyException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 400;
  }
}
