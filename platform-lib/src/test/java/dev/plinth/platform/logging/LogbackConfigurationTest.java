package dev.plinth.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.status.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/**
 * Runs {@link PlinthLogbackConfigurator} on a fresh logback context; a map stands in for the
 * environment variables and system properties it reads.
 */
class LogbackConfigurationTest {

  private static LoggerContext configure(Map<String, String> environment) {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    PlinthLogbackConfigurator configurator = new PlinthLogbackConfigurator(environment::get);
    configurator.setContext(context);
    assertThat(configurator.configure(context))
        .isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    return context;
  }

  private static List<Appender<ILoggingEvent>> rootAppenders(LoggerContext context) {
    List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
    context
        .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        .iteratorForAppenders()
        .forEachRemaining(appenders::add);
    return appenders;
  }

  private static Encoder<ILoggingEvent> onlyEncoder(LoggerContext context) {
    List<Appender<ILoggingEvent>> appenders = rootAppenders(context);
    assertThat(appenders).hasSize(1);
    assertThat(appenders.get(0)).isInstanceOf(ConsoleAppender.class);
    return ((ConsoleAppender<ILoggingEvent>) appenders.get(0)).getEncoder();
  }

  private static List<String> errors(LoggerContext context) {
    return context.getStatusManager().getCopyOfStatusList().stream()
        .filter(status -> status.getLevel() == Status.ERROR)
        .map(Status::getMessage)
        .toList();
  }

  private static String render(LoggerContext context, Encoder<ILoggingEvent> encoder) {
    LoggingEvent event =
        new LoggingEvent(
            "test", context.getLogger("test.render"), Level.INFO, "rendered", null, null);
    event.addKeyValuePair(new KeyValuePair("k", "v"));
    event.setMDCPropertyMap(Map.of("rid", "rid-1"));
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void defaultsToMozlogAtInfoWithQuietLibraries() {
    LoggerContext context = configure(Map.of());

    Encoder<ILoggingEvent> encoder = onlyEncoder(context);
    assertThat(rootAppenders(context).get(0).getName()).isEqualTo("mozlog");
    assertThat(encoder).isInstanceOf(MozLogEncoder.class);
    assertThat(render(context, encoder))
        .startsWith("{\"Timestamp\":")
        .contains("\"Logger\":\"plinth\"", "\"msg\":\"rendered\"", "\"rid\":\"rid-1\"");
    assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel())
        .isEqualTo(Level.INFO);
    assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("io.netty.channel.DefaultChannelPipeline").isDebugEnabled())
        .isFalse();
    assertThat(context.getLogger("org.flywaydb.core").isInfoEnabled()).isTrue();
    assertThat(errors(context)).isEmpty();
  }

  @Test
  void takesTheAppNameFromAppName() {
    LoggerContext context = configure(Map.of("APP_NAME", "billing"));

    assertThat(render(context, onlyEncoder(context))).contains("\"Logger\":\"billing\"");
  }

  @Test
  void switchesToTheTextFormatWithOneSetting() {
    LoggerContext context = configure(Map.of("APP_LOG_FORMAT", "text"));

    Encoder<ILoggingEvent> encoder = onlyEncoder(context);
    assertThat(rootAppenders(context).get(0).getName()).isEqualTo("text");
    assertThat(encoder).isInstanceOf(LayoutWrappingEncoder.class);
    assertThat(render(context, encoder))
        .contains("INFO  test.render [rid-1] rendered k=\"v\"")
        .doesNotContain("{");
    assertThat(errors(context)).isEmpty();
  }

  @Test
  void acceptsTheFormatInAnyCase() {
    LoggerContext context = configure(Map.of("APP_LOG_FORMAT", " TEXT "));

    assertThat(rootAppenders(context).get(0).getName()).isEqualTo("text");
  }

  @Test
  void keepsMozlogAndReportsAnUnknownFormat() {
    LoggerContext context = configure(Map.of("APP_LOG_FORMAT", "json"));

    assertThat(onlyEncoder(context)).isInstanceOf(MozLogEncoder.class);
    assertThat(errors(context))
        .containsExactly("APP_LOG_FORMAT=json is not one of mozlog, text; using mozlog");
  }

  @Test
  void setsTheRootLevelAndLibrariesFollowAQuieterOne() {
    LoggerContext context = configure(Map.of("APP_LOG_LEVEL", "warn"));

    assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel())
        .isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("org.flywaydb").getLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void keepsLibrariesAtInfoWhenTheRootLevelIsDebug() {
    LoggerContext context = configure(Map.of("APP_LOG_LEVEL", "DEBUG"));

    assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel())
        .isEqualTo(Level.DEBUG);
    assertThat(context.getLogger("dev.plinth.anything").isDebugEnabled()).isTrue();
    assertThat(context.getLogger("io.netty.buffer").isDebugEnabled()).isFalse();
    assertThat(context.getLogger("io.micronaut.context").isDebugEnabled()).isFalse();
  }

  @Test
  void keepsInfoAndReportsAnUnknownLevel() {
    LoggerContext context = configure(Map.of("APP_LOG_LEVEL", "verbose"));

    assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel())
        .isEqualTo(Level.INFO);
    assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.INFO);
    assertThat(errors(context))
        .containsExactly(
            "APP_LOG_LEVEL=verbose is not a log level (TRACE, DEBUG, INFO, WARN, ERROR, OFF);"
                + " using INFO");
  }
}
