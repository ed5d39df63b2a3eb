package dev.plinth.platform.logging;

import ch.qos.logback.core.PropertyDefinerBase;
import java.util.Locale;
import java.util.Set;

/**
 * Reads {@code APP_LOG_FORMAT} for logback.xml and names the appender to use: {@code mozlog} (JSON,
 * the default) or {@code text} (for a developer's terminal). An unknown value is reported, naming
 * the variable, and mozlog is kept: a typo must not silence every log line.
 */
public final class LogFormatDefiner extends PropertyDefinerBase {
  static final String VARIABLE = "APP_LOG_FORMAT";
  static final String MOZLOG = "mozlog";
  static final Set<String> FORMATS = Set.of(MOZLOG, "text");

  private String value = MOZLOG;

  public void setValue(String value) {
    this.value = value;
  }

  @Override
  public String getPropertyValue() {
    String format = value == null ? MOZLOG : value.trim().toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      addError(VARIABLE + "=" + value + " is not one of mozlog, text; using mozlog");
      return MOZLOG;
    }
    return format;
  }
}
