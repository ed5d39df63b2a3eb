package dev.plinth.platform.config;

/**
 * A variable of the environment contract holds a value the service cannot start with. The message
 * names the variable and what was expected, never the value: the value may be a secret.
 */
public final class ConfigurationError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String variable;

  public ConfigurationError(String variable, String expected) {
    super(variable + ": expected " + expected);
    this.variable = variable;
  }

  public String variable() {
    return variable;
  }

  /** The one line printed on stderr before the process exits with status 1. */
  public String toStartupLine() {
    return "plinth: invalid configuration: " + getMessage();
  }

  // A configuration error is the user's to fix, not a bug: no stack trace is worth its cost.
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
