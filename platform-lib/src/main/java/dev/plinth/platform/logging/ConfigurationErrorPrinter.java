package dev.plinth.platform.logging;

import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import java.io.PrintStream;

/**
 * Logback's own status messages: prints each ERROR as one line on stderr and drops the rest.
 * Without a listener logback dumps every status line on stdout as soon as one is a warning (as the
 * unused appender of the other APP_LOG_FORMAT always is), which would break "every stdout line is
 * JSON".
 */
public final class ConfigurationErrorPrinter implements StatusListener {
  private final PrintStream err;

  public ConfigurationErrorPrinter() {
    this(System.err);
  }

  ConfigurationErrorPrinter(PrintStream err) {
    this.err = err;
  }

  @Override
  public void addStatusEvent(Status status) {
    if (status.getLevel() != Status.ERROR) {
      return;
    }
    Throwable cause = status.getThrowable();
    err.println("logback: " + status.getMessage() + (cause == null ? "" : " (" + cause + ")"));
  }
}
