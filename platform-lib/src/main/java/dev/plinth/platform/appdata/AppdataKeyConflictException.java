package dev.plinth.platform.appdata;

/**
 * A key the local store cannot hold beside another: a file cannot also be a folder of keys on a
 * filesystem ({@code a} and {@code a/b}), though S3 allows both. HTTP answers 409.
 */
public class AppdataKeyConflictException extends AppdataRequestException {
  private static final long serialVersionUID = 1L;

  public AppdataKeyConflictException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 409;
  }
}
