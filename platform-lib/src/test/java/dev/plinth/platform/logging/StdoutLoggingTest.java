package dev.plinth.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a JVM on the shipped logging set-up, as a container would, and reads its stdout: every line
 * one mozlog JSON object, nothing else; the settings come from the environment.
 */
class StdoutLoggingTest {
  @TempDir Path dir;

  private record Output(List<String> stdout, String stderr) {}

  private Output run(Map<String, String> environment) throws IOException, InterruptedException {
    return run(environment, System.getProperty("java.class.path"));
  }

  private Output run(Map<String, String> environment, String classPath)
      throws IOException, InterruptedException {
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            classPath,
            StdoutLoggingMain.class.getName());
    builder.environment().keySet().removeIf(key -> key.startsWith("APP_"));
    builder.environment().putAll(environment);
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process ends").isTrue();
    assertThat(process.exitValue()).isZero();
    return new Output(
        Files.readAllLines(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static List<JsonNode> parse(List<String> lines) throws IOException {
    List<JsonNode> parsed = new ArrayList<>();
    for (String line : lines) {
      JsonNode node = CapturedLog.JSON.readTree(line);
      assertThat(node.isObject()).as(line).isTrue();
      parsed.add(node);
    }
    return parsed;
  }

  @Test
  void writesOnlyMozlogLinesOnStdout() throws Exception {
    Output output = run(Map.of("APP_NAME", "stdout-app"));

    List<JsonNode> lines = parse(output.stdout());
    assertThat(lines).hasSize(2);
    JsonNode info = lines.get(0);
    assertThat(info.get("Logger").textValue()).isEqualTo("stdout-app");
    assertThat(info.get("Type").textValue()).isEqualTo("stdout.test");
    assertThat(info.get("Fields").get("msg").textValue())
        .isEqualTo("first line ünïcödé \"quoted\"\nsecond line");
    assertThat(info.get("Fields").get("count").intValue()).isEqualTo(3);
    assertThat(info.get("Fields").get("rid").textValue()).isEqualTo("process-rid");
    JsonNode warn = lines.get(1);
    assertThat(warn.get("Severity").intValue()).isEqualTo(4);
    assertThat(warn.get("Fields").get("error").textValue())
        .isEqualTo("java.lang.IllegalStateException: boom");
    assertThat(output.stderr()).isEmpty();
  }

  @Test
  void writesTextWhenAskedAndDebugForTheApplicationOnly() throws Exception {
    Output output = run(Map.of("APP_LOG_FORMAT", "text", "APP_LOG_LEVEL", "DEBUG"));

    assertThat(output.stdout())
        .anySatisfy(line -> assertThat(line).contains("INFO  stdout.test [process-rid] first"))
        .anySatisfy(line -> assertThat(line).contains("DEBUG stdout.test [process-rid] debug line"))
        .noneSatisfy(line -> assertThat(line).contains("netty debug"))
        .noneSatisfy(line -> assertThat(line).startsWith("{"));
  }

  @Test
  void reportsBadSettingsOnStderrAndKeepsStdoutJson() throws Exception {
    Output output = run(Map.of("APP_LOG_FORMAT", "json", "APP_LOG_LEVEL", "loud"));

    assertThat(parse(output.stdout())).hasSize(2);
    assertThat(output.stderr().lines().toList())
        .containsExactly(
            "logback: APP_LOG_FORMAT=json is not one of mozlog, text; using mozlog",
            "logback: APP_LOG_LEVEL=loud is not a log level (TRACE, DEBUG, INFO, WARN, ERROR,"
                + " OFF); using INFO");
  }

  @Test
  void redactsKnownSecretsInTheTextFormat() throws Exception {
    Output output =
        run(Map.of("APP_LOG_FORMAT", "text", "STDOUT_TEST_SECRET", "hunter2-very-secret"));

    assertThat(output.stdout())
        .anySatisfy(line -> assertThat(line).contains("secret in a message: ********"))
        .noneSatisfy(line -> assertThat(line).contains("hunter2-very-secret"));
  }

  @Test
  void aLogbackXmlOnTheClassPathReplacesThePlinthSetUp() throws Exception {
    Path config = Files.createDirectories(dir.resolve("fork-config"));
    Files.writeString(
        config.resolve("logback.xml"),
        """
        <configuration>
          <appender name="fork" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>FORK %logger %msg%n</pattern></encoder>
          </appender>
          <root level="INFO"><appender-ref ref="fork"/></root>
        </configuration>
        """);

    Output output =
        run(Map.of(), config + java.io.File.pathSeparator + System.getProperty("java.class.path"));

    assertThat(output.stdout()).first().asString().startsWith("FORK stdout.test first line");
    assertThat(output.stdout()).noneSatisfy(line -> assertThat(line).startsWith("{"));
  }
}
