package dev.plinth.platform.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.plinth.platform.config.Variables;
import dev.plinth.platform.secrets.RedactingMessageConverter;
import dev.plinth.platform.secrets.RedactingThrowableConverter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Plinth's logging set-up, in code: mozlog JSON lines on stdout, or a human-readable text format
 * for a developer's terminal (docs/logging.md). Logback finds it through {@code META-INF/services}
 * before it looks for XML, so no XML parser is loaded at start-up; a fork that ships its own {@code
 * logback.xml} (or sets {@code -Dlogback.configurationFile}) gets that file instead.
 *
 * <p>It runs before Micronaut starts, so its settings come straight from {@code -D} system
 * properties or the environment:
 *
 * <ul>
 *   <li>{@code APP_LOG_FORMAT}: {@code mozlog} (default) or {@code text};
 *   <li>{@code APP_LOG_LEVEL}: the root level, default {@code INFO}; third-party libraries follow
 *       it but never go below INFO;
 *   <li>{@code APP_NAME}: the mozlog {@code Logger}, default {@code plinth}.
 * </ul>
 *
 * An unknown format or level is reported on stderr (one line naming the variable) and the default
 * is kept: a typo must not silence every log line. The appender is a synchronous ConsoleAppender on
 * purpose: no line is dropped under load or lost at exit, and stdout is a pipe the container
 * runtime drains.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class PlinthLogbackConfigurator extends ContextAwareBase implements Configurator {
  static final String FORMAT_VARIABLE = Variables.APP_LOG_FORMAT;
  static final String LEVEL_VARIABLE = Variables.APP_LOG_LEVEL;
  static final String NAME_VARIABLE = Variables.APP_NAME;
  static final String MOZLOG = "mozlog";
  static final String TEXT = "text";
  static final Set<String> FORMATS = Set.of(MOZLOG, TEXT);
  static final String TEXT_PATTERN =
      "%d{HH:mm:ss.SSS} %-5level %logger{36} [%X{rid:-}] %msg %kvp%n%ex";

  /** Libraries whose loggers follow APP_LOG_LEVEL but never go below INFO. */
  static final List<String> LIBRARIES =
      List.of(
          "io.netty",
          "io.micronaut",
          "reactor",
          "com.zaxxer.hikari",
          "org.flywaydb",
          "com.rabbitmq",
          "io.lettuce",
          "software.amazon.awssdk",
          "org.apache.http",
          "io.sentry",
          "org.testcontainers");

  private final UnaryOperator<String> settings;

  /** The configurator logback loads: settings from system properties, then the environment. */
  public PlinthLogbackConfigurator() {
    this(PlinthLogbackConfigurator::systemSetting);
  }

  PlinthLogbackConfigurator(UnaryOperator<String> settings) {
    this.settings = settings;
  }

  private static String systemSetting(String name) {
    String value = System.getProperty(name);
    return value != null ? value : System.getenv(name);
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (hasOwnConfiguration()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    // Logback's own errors as single lines on stderr; stdout stays JSON only.
    context.getStatusManager().add(new ConfigurationErrorPrinter());
    String format = format(settings.apply(FORMAT_VARIABLE));
    Level level = level(settings.apply(LEVEL_VARIABLE));
    Level libraryLevel = level.isGreaterOrEqual(Level.INFO) ? level : Level.INFO;

    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName(format);
    appender.setEncoder(TEXT.equals(format) ? textEncoder(context) : mozlogEncoder(context));
    appender.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(appender);
    for (String library : LIBRARIES) {
      context.getLogger(library).setLevel(libraryLevel);
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** A fork's own logback.xml (or an explicit configuration file) takes precedence over ours. */
  private boolean hasOwnConfiguration() {
    ClassLoader loader = PlinthLogbackConfigurator.class.getClassLoader();
    return System.getProperty("logback.configurationFile") != null
        || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null;
  }

  private Encoder<ILoggingEvent> mozlogEncoder(LoggerContext context) {
    MozLogEncoder encoder = new MozLogEncoder();
    encoder.setContext(context);
    String name = settings.apply(NAME_VARIABLE);
    if (name != null && !name.isBlank()) {
      encoder.setAppName(name.trim());
    }
    encoder.start();
    return encoder;
  }

  private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    // Known secret values never reach the text format either (SecretRedactor.forProcess()).
    layout.getInstanceConverterMap().put("msg", RedactingMessageConverter::new);
    layout.getInstanceConverterMap().put("ex", RedactingThrowableConverter::new);
    layout.setPattern(TEXT_PATTERN);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    return encoder;
  }

  /** The appender name for {@code value}: mozlog or text; an unknown value is reported. */
  String format(String value) {
    if (value == null || value.isBlank()) {
      return MOZLOG;
    }
    String format = value.trim().toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      addError(FORMAT_VARIABLE + "=" + value + " is not one of mozlog, text; using mozlog");
      return MOZLOG;
    }
    return format;
  }

  /**
   * The root level for {@code value}. Logback itself turns an unknown name into DEBUG silently;
   * this reports it, naming the variable, and keeps INFO.
   */
  Level level(String value) {
    if (value == null || value.isBlank()) {
      return Level.INFO;
    }
    Level level = Level.toLevel(value.trim().toUpperCase(Locale.ROOT), null);
    if (level == null) {
      addError(
          LEVEL_VARIABLE
              + "="
              + value
              + " is not a log level (TRACE, DEBUG, INFO, WARN, ERROR, OFF); using INFO");
      return Level.INFO;
    }
    return level;
  }
}
