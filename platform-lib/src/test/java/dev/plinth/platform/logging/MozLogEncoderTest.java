package dev.plinth.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class MozLogEncoderTest {
  private final String loggerName = "test.mozlog." + UUID.randomUUID().toString().replace("-", "");
  private final Logger log = LoggerFactory.getLogger(loggerName);
  private CapturedLog captured;

  @BeforeEach
  void capture() {
    ((ch.qos.logback.classic.Logger) log).setLevel(Level.TRACE);
    captured = CapturedLog.of(loggerName, "my-app", "test-host");
  }

  @AfterEach
  void release() {
    captured.close();
    MDC.clear();
  }

  private JsonNode only() {
    List<JsonNode> lines = captured.lines();
    assertThat(lines).hasSize(1);
    return lines.get(0);
  }

  @Test
  void writesEveryMozlogFieldWithItsType() {
    long before = nanosNow();
    log.info("hello {}", "world");
    long after = nanosNow();

    JsonNode line = only();
    assertThat(line.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly(
            "Timestamp", "Type", "Logger", "Hostname", "EnvVersion", "Severity", "Pid", "Fields");
    assertThat(line.get("Timestamp").isIntegralNumber()).isTrue();
    assertThat(line.get("Timestamp").asLong()).isBetween(before, after);
    assertThat(line.get("Type").textValue()).isEqualTo(loggerName);
    assertThat(line.get("Logger").textValue()).isEqualTo("my-app");
    assertThat(line.get("Hostname").textValue()).isEqualTo("test-host");
    assertThat(line.get("EnvVersion").textValue()).isEqualTo("2.0");
    assertThat(line.get("Severity").isInt()).isTrue();
    assertThat(line.get("Severity").intValue()).isEqualTo(6);
    assertThat(line.get("Pid").isIntegralNumber()).isTrue();
    assertThat(line.get("Pid").longValue()).isEqualTo(ProcessHandle.current().pid());
    assertThat(line.get("Fields").isObject()).isTrue();
    assertThat(line.get("Fields").get("msg").textValue()).isEqualTo("hello world");
    assertThat(captured.text()).endsWith("}\n").containsOnlyOnce("\n");
  }

  @ParameterizedTest
  @CsvSource({"TRACE,7", "DEBUG,7", "INFO,6", "WARN,4", "ERROR,3"})
  void mapsLevelsToSyslogSeverities(String level, int severity) {
    log.atLevel(org.slf4j.event.Level.valueOf(level)).log("at " + level);

    assertThat(only().get("Severity").intValue()).isEqualTo(severity);
  }

  @Test
  void writesErrorAndTracebackForAnException() {
    Exception cause = new IllegalArgumentException("root cause");
    log.error("it failed", new IllegalStateException("boom \"quoted\"", cause));

    JsonNode fields = only().get("Fields");
    assertThat(fields.get("msg").textValue()).isEqualTo("it failed");
    assertThat(fields.get("error").textValue())
        .isEqualTo("java.lang.IllegalStateException: boom \"quoted\"");
    assertThat(fields.get("traceback").textValue())
        .startsWith("java.lang.IllegalStateException: boom \"quoted\"\n")
        .contains("\tat dev.plinth.platform.logging.MozLogEncoderTest.")
        .contains("Caused by: java.lang.IllegalArgumentException: root cause");
    assertThat(only().get("Severity").intValue()).isEqualTo(3);
  }

  @Test
  void writesAnExceptionWithoutMessageAsItsClassName() {
    log.warn("no message", new NullPointerException());

    assertThat(only().get("Fields").get("error").textValue())
        .isEqualTo("java.lang.NullPointerException");
  }

  @Test
  void writesKeyValuesWithTheirJsonTypes() {
    log.atInfo()
        .addKeyValue("text", "abc")
        .addKeyValue("int", 42)
        .addKeyValue("long", 12_345_678_901L)
        .addKeyValue("negative", -7)
        .addKeyValue("min", Long.MIN_VALUE)
        .addKeyValue("double", 1.5)
        .addKeyValue("nan", Double.NaN)
        .addKeyValue("decimal", new BigDecimal("10.25"))
        .addKeyValue("flag", true)
        .addKeyValue("nothing", (Object) null)
        .addKeyValue("instant", Instant.parse("2026-01-02T03:04:05Z"))
        .log("kv");

    JsonNode fields = only().get("Fields");
    assertThat(fields.get("text").textValue()).isEqualTo("abc");
    assertThat(fields.get("int").isIntegralNumber()).isTrue();
    assertThat(fields.get("int").intValue()).isEqualTo(42);
    assertThat(fields.get("long").longValue()).isEqualTo(12_345_678_901L);
    assertThat(fields.get("negative").intValue()).isEqualTo(-7);
    assertThat(fields.get("min").longValue()).isEqualTo(Long.MIN_VALUE);
    assertThat(fields.get("double").doubleValue()).isEqualTo(1.5);
    assertThat(fields.get("nan").textValue()).isEqualTo("NaN");
    assertThat(fields.get("decimal").decimalValue()).isEqualByComparingTo("10.25");
    assertThat(fields.get("flag").booleanValue()).isTrue();
    assertThat(fields.get("nothing").isNull()).isTrue();
    assertThat(fields.get("instant").textValue()).isEqualTo("2026-01-02T03:04:05Z");
  }

  @Test
  void keepsOneLevelOfObjectsAndArraysAndStringifiesDeeperValues() {
    Map<String, Object> flat = new LinkedHashMap<>();
    flat.put("a", 1);
    flat.put("b", "two");
    flat.put("deeper", Map.of("x", 1));
    flat.put("list", List.of(1, 2));
    log.atInfo()
        .addKeyValue("object", flat)
        .addKeyValue("list", List.of("x", 2, List.of(3, 4), Map.of("k", "v")))
        .addKeyValue("ints", new int[] {1, 2, 3})
        .addKeyValue("nestedArray", new Object[] {new int[] {5, 6}, new String[] {"s"}})
        .log("nesting");

    JsonNode fields = only().get("Fields");
    JsonNode object = fields.get("object");
    assertThat(object.isObject()).isTrue();
    assertThat(object.get("a").intValue()).isEqualTo(1);
    assertThat(object.get("b").textValue()).isEqualTo("two");
    assertThat(object.get("deeper").textValue()).isEqualTo("{x=1}");
    assertThat(object.get("list").textValue()).isEqualTo("[1, 2]");
    JsonNode list = fields.get("list");
    assertThat(list.isArray()).isTrue();
    assertThat(list.get(0).textValue()).isEqualTo("x");
    assertThat(list.get(1).intValue()).isEqualTo(2);
    assertThat(list.get(2).textValue()).isEqualTo("[3, 4]");
    assertThat(list.get(3).textValue()).isEqualTo("{k=v}");
    assertThat(fields.get("ints").toString()).isEqualTo("[1,2,3]");
    assertThat(fields.get("nestedArray").get(0).textValue()).isEqualTo("[5, 6]");
    assertThat(fields.get("nestedArray").get(1).textValue()).isEqualTo("[s]");
    assertNoValueDeeperThanOneLevel(fields);
  }

  private static void assertNoValueDeeperThanOneLevel(JsonNode fields) {
    fields
        .properties()
        .forEach(
            field -> {
              JsonNode value = field.getValue();
              if (value.isContainerNode()) {
                value
                    .elements()
                    .forEachRemaining(
                        inner -> assertThat(inner.isContainerNode()).as(field.getKey()).isFalse());
              }
            });
  }

  @Test
  void writesMdcEntriesAsFieldsAndLetsKeyValuesWin() {
    MDC.put("rid", "abc123");
    MDC.put("task_id", "t-1");
    MDC.put("shared", "from-mdc");
    log.atInfo().addKeyValue("shared", "from-kv").log("with mdc");

    JsonNode fields = only().get("Fields");
    assertThat(fields.get("rid").textValue()).isEqualTo("abc123");
    assertThat(fields.get("task_id").textValue()).isEqualTo("t-1");
    assertThat(fields.get("shared").textValue()).isEqualTo("from-kv");
  }

  @Test
  void keepsReservedFieldsAndTheFirstOfRepeatedKeys() {
    MDC.put("msg", "mdc msg");
    log.atInfo()
        .addKeyValue("msg", "kv msg")
        .addKeyValue("k", 1)
        .addKeyValue("k", 2)
        .log("the message");

    JsonNode fields = only().get("Fields");
    assertThat(fields.get("msg").textValue()).isEqualTo("the message");
    assertThat(fields.get("k").intValue()).isEqualTo(1);
  }

  @Test
  void omitsAnEmptyMessage() {
    log.atInfo().addKeyValue("k", "v").log();

    JsonNode fields = only().get("Fields");
    assertThat(fields.has("msg")).isFalse();
    assertThat(fields.get("k").textValue()).isEqualTo("v");
  }

  @Test
  void escapesControlCharactersQuotesAndUnicode() {
    String nasty =
        "quote \" backslash \\ slash / newline \n return \r tab \t bell \u0007 nul \u0000"
            + " esc \u001b del \u007f é ü 中文 emoji 😀 separator \u2028 \u2029 end";
    log.atInfo().addKeyValue("key \"with\"\nnewline", nasty).log(nasty);

    String raw = captured.text();
    assertThat(raw).containsOnlyOnce("\n").doesNotContain("\u0000").doesNotContain("\u2028");
    JsonNode fields = only().get("Fields");
    assertThat(fields.get("msg").textValue()).isEqualTo(nasty);
    assertThat(fields.get("key \"with\"\nnewline").textValue()).isEqualTo(nasty);
  }

  @Test
  void replacesLoneSurrogatesSoTheLineStaysValidUtf8() {
    log.info("lone \ud800 high and \udc00 low");

    assertThat(only().get("Fields").get("msg").textValue())
        .isEqualTo("lone \ufffd high and \ufffd low");
  }

  @Test
  void keepsTheLineValidWhenAValueCannotBePrinted() {
    Object broken =
        new Object() {
          @Override
          public String toString() {
            throw new IllegalStateException("no toString for you");
          }
        };
    log.atInfo().addKeyValue("broken", broken).addKeyValue("after", "ok").log("still logged");

    JsonNode fields = only().get("Fields");
    assertThat(fields.get("broken").textValue())
        .startsWith("<unprintable ")
        .contains("no toString for you");
    assertThat(fields.get("after").textValue()).isEqualTo("ok");
  }

  @Test
  void writesALongMessageInFull() {
    String big = "x".repeat(200_000) + "é";
    log.info(big);
    log.info("small after big");

    List<JsonNode> lines = captured.lines();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).get("Fields").get("msg").textValue()).isEqualTo(big);
    assertThat(lines.get(1).get("Fields").get("msg").textValue()).isEqualTo("small after big");
  }

  @Test
  void defaultsTheHostnameAndAppName() {
    MozLogEncoder encoder = new MozLogEncoder();
    encoder.setAppName(" ");
    encoder.start();
    ch.qos.logback.classic.spi.LoggingEvent event =
        new ch.qos.logback.classic.spi.LoggingEvent(
            getClass().getName(),
            (ch.qos.logback.classic.Logger) log,
            Level.INFO,
            "direct",
            null,
            null);
    String line = new String(encoder.encode(event), java.nio.charset.StandardCharsets.UTF_8);

    assertThat(line).contains("\"Logger\":\"plinth\"").doesNotContain("\"Hostname\":\"\"");
  }

  private static long nanosNow() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
