package dev.plinth.platform.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.core.PropertyDefinerBase;
import java.util.Locale;

/**
 * Reads {@code APP_LOG_LEVEL} for logback.xml. Logback itself turns an unknown level name into
 * DEBUG silently; this reports it (naming the variable) and keeps INFO. With a {@code minimum} it
 * yields the quieter of the two, so that third-party loggers follow {@code APP_LOG_LEVEL=WARN} but
 * do not flood the output at {@code APP_LOG_LEVEL=DEBUG}.
 */
public final class LogLevelDefiner extends PropertyDefinerBase {
  static final String VARIABLE = "APP_LOG_LEVEL";

  private String value = "INFO";
  private String minimum;

  public void setValue(String value) {
    this.value = value;
  }

  public void setMinimum(String minimum) {
    this.minimum = minimum;
  }

  @Override
  public String getPropertyValue() {
    Level level = parse(value);
    if (level == null) {
      if (minimum == null) { // reported once, by the root level's definer
        addError(
            VARIABLE
                + "="
                + value
                + " is not a log level (TRACE, DEBUG, INFO, WARN, ERROR, OFF); using INFO");
      }
      level = Level.INFO;
    }
    Level floor = minimum == null ? null : parse(minimum);
    if (floor != null && floor.isGreaterOrEqual(level)) {
      level = floor;
    }
    return level.levelStr;
  }

  /** The level named by {@code text} (any case), or null when it names none. */
  static Level parse(String text) {
    if (text == null) {
      return null;
    }
    return Level.toLevel(text.trim().toUpperCase(Locale.ROOT), null);
  }
}
