package dev.plinth.platform.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import dev.plinth.platform.logging.MozLogEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of the process (root logger) as the text an encoder could print: the
 * formatted message, its key-values, MDC and stack trace; and as the mozlog lines the encoder wrote
 * when they were logged (what depends on the logging thread, such as the current span, is in
 * those).
 */
public final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final OutputStreamAppender<ILoggingEvent> mozlog = new OutputStreamAppender<>();
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private final Logger root;

  public LogCapture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    appender.setContext(context);
    appender.start();
    root.addAppender(appender);
    MozLogEncoder encoder = new MozLogEncoder();
    encoder.setContext(context);
    encoder.start();
    mozlog.setContext(context);
    mozlog.setEncoder(encoder);
    mozlog.setOutputStream(written);
    mozlog.start();
    root.addAppender(mozlog);
  }

  /** Every captured event as the mozlog line written when it was logged. */
  public List<String> mozlogLines() {
    return written.toString(StandardCharsets.UTF_8).lines().toList();
  }

  public synchronized List<ILoggingEvent> events() {
    return List.copyOf(appender.list);
  }

  /** Every captured event as one line of text (message, key-values, MDC, stack trace). */
  public List<String> lines() {
    return events().stream().map(LogCapture::render).toList();
  }

  public List<String> warnings() {
    return events().stream()
        .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  static String render(ILoggingEvent event) {
    String kv =
        event.getKeyValuePairs() == null
            ? ""
            : event.getKeyValuePairs().stream()
                .map(p -> p.key + "=" + p.value)
                .collect(Collectors.joining(" "));
    String stack =
        event.getThrowableProxy() == null
            ? ""
            : ThrowableProxyUtil.asString(event.getThrowableProxy());
    return event.getLevel()
        + " "
        + event.getLoggerName()
        + " "
        + event.getFormattedMessage()
        + " "
        + kv
        + " "
        + event.getMDCPropertyMap()
        + " "
        + stack;
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
    root.detachAppender(mozlog);
    mozlog.stop();
  }
}
