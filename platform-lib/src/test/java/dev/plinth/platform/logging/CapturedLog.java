package dev.plinth.platform.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures what {@link MozLogEncoder} writes for one logger (and its children) into memory, as the
 * real ConsoleAppender would write it to stdout. Every line must parse as one JSON object.
 */
final class CapturedLog implements AutoCloseable {
  /** Strict: a duplicate key or anything after the object fails the line. */
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
  private final Logger logger;

  private CapturedLog(String loggerName, String appName, String hostname) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    MozLogEncoder encoder = new MozLogEncoder();
    encoder.setContext(context);
    encoder.setAppName(appName);
    encoder.setHostname(hostname);
    encoder.start();
    appender.setContext(context);
    appender.setName("captured-" + System.identityHashCode(this));
    appender.setEncoder(encoder);
    appender.setOutputStream(bytes);
    appender.start();
    logger = context.getLogger(loggerName);
    logger.addAppender(appender);
  }

  /** Captures {@code loggerName} and below, encoded with app name and hostname as given. */
  static CapturedLog of(String loggerName, String appName, String hostname) {
    return new CapturedLog(loggerName, appName, hostname);
  }

  /** Captures every logger. */
  static CapturedLog root() {
    return new CapturedLog(org.slf4j.Logger.ROOT_LOGGER_NAME, "plinth-test", null);
  }

  /** The raw output so far. */
  String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Every line written so far, parsed; fails if a line is not exactly one JSON object. */
  List<JsonNode> lines() {
    String text = text();
    List<JsonNode> lines = new ArrayList<>();
    if (text.isEmpty()) {
      return lines;
    }
    if (!text.endsWith("\n")) {
      throw new AssertionError("output does not end with a newline: " + text);
    }
    for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
      try {
        JsonNode node = JSON.readTree(line);
        if (node == null || !node.isObject()) {
          throw new AssertionError("not a JSON object: " + line);
        }
        lines.add(node);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + line, e);
      }
    }
    return lines;
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
