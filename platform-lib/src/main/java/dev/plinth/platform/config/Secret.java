package dev.plinth.platform.config;

import java.util.Objects;

/**
 * A configuration value that must never be shown. {@link #toString()} is redacted so that a secret
 * passed to a logger, an exception message or a serializer by mistake stays hidden.
 */
public final class Secret {
  public static final String REDACTED = "********";

  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The plaintext, for the one place that needs it (a driver, a signer, a client). */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return REDACTED;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret secret && secret.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
