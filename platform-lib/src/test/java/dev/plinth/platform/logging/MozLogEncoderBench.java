package dev.plinth.platform.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Not a test: encodes a typical request.summary event many times and prints the time and bytes
 * allocated per line, beside logback's pattern encoder as a baseline. Run (docs/logging.md): {@code
 * java -cp target/test-classes:target/classes:<deps>
 * dev.plinth.platform.logging.MozLogEncoderBench}.
 */
final class MozLogEncoderBench {
  private MozLogEncoderBench() {}

  public static void main(String[] args) {
    int lines = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LoggingEvent event =
        new LoggingEvent("bench", context.getLogger("request.summary"), Level.INFO, "", null, null);
    event.addKeyValuePair(new KeyValuePair("path", "/api/items"));
    event.addKeyValuePair(new KeyValuePair("method", "GET"));
    event.addKeyValuePair(new KeyValuePair("code", 200));
    event.addKeyValuePair(new KeyValuePair("errno", 0));
    event.addKeyValuePair(new KeyValuePair("t", 3L));
    event.addKeyValuePair(new KeyValuePair("agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/130"));
    event.addKeyValuePair(new KeyValuePair("lang", "en-US,en;q=0.5"));
    event.addKeyValuePair(new KeyValuePair("rid", "0123456789abcdef0123456789abcdef"));
    event.addKeyValuePair(new KeyValuePair("uid", ""));
    event.setMDCPropertyMap(Map.of("rid", "0123456789abcdef0123456789abcdef"));

    MozLogEncoder mozlog = new MozLogEncoder();
    mozlog.setContext(context);
    mozlog.start();
    PatternLayoutEncoder pattern = new PatternLayoutEncoder();
    pattern.setContext(context);
    pattern.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{36} [%X{rid:-}] %msg %kvp%n");
    pattern.start();

    for (int round = 0; round < 3; round++) {
      measure("mozlog ", mozlog, event, lines);
      measure("pattern", pattern, event, lines);
    }
  }

  private static void measure(
      String name, Encoder<ILoggingEvent> encoder, ILoggingEvent event, int lines) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long bytes = 0;
    long allocatedBefore = threads.getThreadAllocatedBytes(thread);
    long start = System.nanoTime();
    for (int i = 0; i < lines; i++) {
      bytes += encoder.encode(event).length;
    }
    long elapsed = System.nanoTime() - start;
    long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
    System.out.printf(
        "%s %6.0f ns/line %6d bytes allocated/line %4d bytes/line%n",
        name, (double) elapsed / lines, allocated / lines, bytes / lines);
  }
}
