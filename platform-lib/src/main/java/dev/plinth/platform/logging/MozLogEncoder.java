package dev.plinth.platform.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.plinth.platform.secrets.SecretRedactor;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * Logback encoder for mozlog: one JSON object per line with {@code Timestamp} (ns), {@code Type}
 * (the logger name), {@code Logger} (the application name), {@code Hostname}, {@code EnvVersion}
 * "2.0", {@code Severity} (syslog), {@code Pid} and {@code Fields}. Fields hold the message as
 * {@code msg}, SLF4J key-values, MDC entries, {@code error}/{@code traceback} for an exception, and
 * {@code trace_id}/{@code span_id} while a span is current. A field value is a scalar, a string, or
 * one level of flat object or array; anything nested deeper is written as its string form. See
 * docs/logging.md.
 *
 * <p>Logback creates this before Micronaut starts, so the application name comes from {@code
 * APP_NAME} through {@link PlinthLogbackConfigurator}, not from Micronaut.
 */
public final class MozLogEncoder extends EncoderBase<ILoggingEvent> {
  static final String ENV_VERSION = "2.0";

  /** The fields naming the current span, on every line written while one is current. */
  public static final String TRACE_ID = "trace_id";

  public static final String SPAN_ID = "span_id";

  private static final List<String> RESERVED_FIELDS =
      List.of("msg", "error", "traceback", TRACE_ID, SPAN_ID);
  private static final long PID = ProcessHandle.current().pid();

  private static final ThreadLocal<JsonLineWriter> WRITERS =
      ThreadLocal.withInitial(JsonLineWriter::new);
  private static final ThreadLocal<Boolean> WRITING = new ThreadLocal<>();

  private String appName = "plinth";
  private String hostname;

  // The constant middle of every line, encoded once at start().
  private byte[] afterType;
  private byte[] afterSeverity;

  /** The mozlog {@code Logger}: the application name ({@code APP_NAME}). */
  public void setAppName(String appName) {
    this.appName = appName;
  }

  /** Overrides the {@code Hostname} (default: {@code HOSTNAME}, else the local host name). */
  public void setHostname(String hostname) {
    this.hostname = hostname;
  }

  @Override
  public void start() {
    String host = hostname != null && !hostname.isBlank() ? hostname : localHostname();
    String name = appName != null && !appName.isBlank() ? appName : "plinth";
    JsonLineWriter constant = new JsonLineWriter();
    constant.rawAscii(",\"Logger\":");
    constant.string(name);
    constant.rawAscii(",\"Hostname\":");
    constant.string(host);
    constant.rawAscii(",\"EnvVersion\":\"" + ENV_VERSION + "\",\"Severity\":");
    afterType = constant.toByteArray();
    constant.reset();
    constant.rawAscii(",\"Pid\":");
    constant.number(PID);
    constant.rawAscii(",\"Fields\":{");
    afterSeverity = constant.toByteArray();
    super.start();
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    // A value's toString() that logs re-enters on this thread: give it a writer of its own.
    boolean nested = WRITING.get() != null;
    JsonLineWriter out = nested ? new JsonLineWriter() : WRITERS.get();
    if (!nested) {
      WRITING.set(Boolean.TRUE);
    }
    try {
      out.reset();
      write(event, out);
      return out.toByteArray();
    } finally {
      if (!nested) {
        WRITING.remove();
      }
    }
  }

  private void write(ILoggingEvent event, JsonLineWriter out) {
    Instant instant = event.getInstant();
    out.rawAscii("{\"Timestamp\":");
    out.number(instant.getEpochSecond() * 1_000_000_000L + instant.getNano());
    out.rawAscii(",\"Type\":");
    out.string(event.getLoggerName());
    out.raw(afterType);
    out.number(severity(event.getLevel()));
    out.raw(afterSeverity);
    writeFields(event, out);
    out.rawAscii("}}\n");
  }

  private void writeFields(ILoggingEvent event, JsonLineWriter out) {
    boolean first = true;
    // Known secret values never reach a log line, whatever code logged them.
    SecretRedactor redactor = SecretRedactor.forProcess();
    String message = redactor.redact(event.getFormattedMessage());
    if (message != null && !message.isEmpty()) {
      first = key(out, "msg", first);
      out.string(message);
    }
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      first = key(out, "error", first);
      out.raw('"');
      out.chars(error.getClassName());
      if (error.getMessage() != null) {
        out.rawAscii(": ");
        out.chars(redactor.redact(error.getMessage()));
      }
      out.raw('"');
      first = key(out, "traceback", first);
      out.string(redactor.redact(ThrowableProxyUtil.asString(error)));
    }
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      for (int i = 0; i < pairs.size(); i++) {
        KeyValuePair pair = pairs.get(i);
        if (pair.key == null || RESERVED_FIELDS.contains(pair.key) || seenBefore(pairs, i)) {
          continue;
        }
        first = key(out, pair.key, first);
        value(out, pair.value, false, redactor);
      }
    }
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null && !mdc.isEmpty()) {
      for (Map.Entry<String, String> entry : mdc.entrySet()) {
        String key = entry.getKey();
        if (key == null || RESERVED_FIELDS.contains(key) || hasKey(pairs, key)) {
          continue; // an explicit key-value wins over the MDC
        }
        first = key(out, key, first);
        out.string(redactor.redact(entry.getValue()));
      }
    }
    // The span current where the line was logged (the appender is synchronous): the ids a trace
    // viewer and a log search join on. Invalid, and so absent, while tracing is off.
    SpanContext span = Span.current().getSpanContext();
    if (span.isValid()) {
      first = key(out, TRACE_ID, first);
      out.string(span.getTraceId());
      key(out, SPAN_ID, first);
      out.string(span.getSpanId());
    }
  }

  private static boolean key(JsonLineWriter out, String key, boolean first) {
    if (!first) {
      out.raw(',');
    }
    out.string(key);
    out.raw(':');
    return false;
  }

  private static boolean seenBefore(List<KeyValuePair> pairs, int index) {
    String key = pairs.get(index).key;
    for (int j = 0; j < index; j++) {
      if (key.equals(pairs.get(j).key)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasKey(List<KeyValuePair> pairs, String key) {
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        if (key.equals(pair.key)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Writes a field value; {@code nested} values (inside an object or array) stay flat. Text passes
   * through the redactor as the message does: a secret logged as a field is masked too.
   */
  private static void value(
      JsonLineWriter out, Object value, boolean nested, SecretRedactor redactor) {
    int mark = out.length();
    try {
      if (value == null) {
        out.rawAscii("null");
      } else if (value instanceof CharSequence text) {
        out.string(redactor.redact(text.toString()));
      } else if (value instanceof Boolean bool) {
        out.rawAscii(bool ? "true" : "false");
      } else if (value instanceof Integer
          || value instanceof Long
          || value instanceof Short
          || value instanceof Byte) {
        out.number(((Number) value).longValue());
      } else if (value instanceof Double || value instanceof Float) {
        double d = ((Number) value).doubleValue();
        if (Double.isFinite(d)) {
          out.rawAscii(value.toString());
        } else {
          out.string(value.toString()); // NaN and Infinity are not JSON numbers
        }
      } else if (value instanceof BigInteger || value instanceof BigDecimal) {
        out.rawAscii(value.toString());
      } else if (nested) {
        out.string(redactor.redact(stringify(value)));
      } else if (value instanceof Map<?, ?> map) {
        out.raw('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          first = key(out, String.valueOf(entry.getKey()), first);
          value(out, entry.getValue(), true, redactor);
        }
        out.raw('}');
      } else if (value instanceof Iterable<?> items) {
        out.raw('[');
        boolean first = true;
        for (Object item : items) {
          first = comma(out, first);
          value(out, item, true, redactor);
        }
        out.raw(']');
      } else if (value.getClass().isArray()) {
        out.raw('[');
        int n = Array.getLength(value);
        for (int i = 0; i < n; i++) {
          comma(out, i == 0);
          value(out, Array.get(value, i), true, redactor);
        }
        out.raw(']');
      } else {
        out.string(redactor.redact(stringify(value)));
      }
    } catch (RuntimeException e) {
      // A toString() that throws or a collection changed under us: keep the line valid.
      out.truncate(mark);
      out.string("<unprintable " + value.getClass().getName() + ": " + e + ">");
    }
  }

  private static boolean comma(JsonLineWriter out, boolean first) {
    if (!first) {
      out.raw(',');
    }
    return false;
  }

  private static String stringify(Object value) {
    if (value instanceof Object[] array) {
      return Arrays.deepToString(array);
    }
    if (value.getClass().isArray()) {
      StringBuilder text = new StringBuilder("[");
      int n = Array.getLength(value);
      for (int i = 0; i < n; i++) {
        text.append(i == 0 ? "" : ", ").append(Array.get(value, i));
      }
      return text.append(']').toString();
    }
    return String.valueOf(value);
  }

  /** Syslog severities, as python-dockerflow maps them. */
  static int severity(Level level) {
    return switch (level.toInt()) {
      case Level.ERROR_INT -> 3;
      case Level.WARN_INT -> 4;
      case Level.INFO_INT -> 6;
      default -> 7; // DEBUG, TRACE
    };
  }

  private static String localHostname() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }
}
