package dev.plinth.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/**
 * Loads the shipped logback.xml into a fresh logback context; context properties stand in for the
 * environment variables (logback looks them up before the process environment).
 */
class LogbackConfigurationTest {

  private static LoggerContext configure(Map<String, String> environment) throws JoranException {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    environment.forEach(context::putProperty);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    URL logbackXml = MozLogEncoder.class.getResource("/logback.xml");
    assertThat(logbackXml).isNotNull();
    configurator.doConfigure(logbackXml);
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
  void defaultsToMozlogAtInfoWithQuietLibraries() throws Exception {
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
  void takesTheAppNameFromAppName() throws Exception {
    LoggerContext context = configure(Map.of("APP_NAME", "billing"));

    assertThat(render(context, onlyEncoder(context))).contains("\"Logger\":\"billing\"");
  }

  @Test
  void switchesToTheTextFormatWithOneSetting() throws Exception {
    LoggerContext context = configure(Map.of("APP_LOG_FORMAT", "text"));

    Encoder<ILoggingEvent> encoder = onlyEncoder(context);
    assertThat(rootAppenders(context).get(0).getName()).isEqualTo("text");
    assertThat(encoder).isInstanceOf(PatternLayoutEncoder.class);
    assertThat(render(context, encoder))
        .contains("INFO  test.render [rid-1] rendered k=\"v\"")
        .doesNotContain("{");
    assertThat(errors(context)).isEmpty();
  }

  @Test
  void acceptsTheFormatInAnyCase() throws Exception {
    LoggerContext context = configure(Map.of("APP_LOG_FORMAT", " TEXT "));

    assertThat(rootAppenders(context).get(0).getName()).isEqualTo("text");
  }

  @Test
  void keepsMozlogAndReportsAnUnknownFormat() throws Exception {
    LoggerContext context = configure(Map.of("APP_LOG_FORMAT", "json"));

    assertThat(onlyEncoder(context)).isInstanceOf(MozLogEncoder.class);
    assertThat(errors(context))
        .containsExactly("APP_LOG_FORMAT=json is not one of mozlog, text; using mozlog");
  }

  @Test
  void setsTheRootLevelAndLibrariesFollowAQuieterOne() throws Exception {
    LoggerContext context = configure(Map.of("APP_LOG_LEVEL", "warn"));

    assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel())
        .isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("org.flywaydb").getLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void keepsLibrariesAtInfoWhenTheRootLevelIsDebug() throws Exception {
    LoggerContext context = configure(Map.of("APP_LOG_LEVEL", "DEBUG"));

    assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel())
        .isEqualTo(Level.DEBUG);
    assertThat(context.getLogger("dev.plinth.anything").isDebugEnabled()).isTrue();
    assertThat(context.getLogger("io.netty.buffer").isDebugEnabled()).isFalse();
    assertThat(context.getLogger("io.micronaut.context").isDebugEnabled()).isFalse();
  }

  @Test
  void keepsInfoAndReportsAnUnknownLevel() throws Exception {
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
