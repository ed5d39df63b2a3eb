package dev.plinth.task.commands;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code TASK --payload JSON}: the task name and payload that {@code enqueue} and {@code run} both
 * take (a picocli mixin).
 */
public final class TaskArguments {
  @Parameters(index = "0", paramLabel = "TASK", description = "The task name, e.g. example.export")
  String task;

  @Option(
      names = "--payload",
      defaultValue = "{}",
      paramLabel = "JSON",
      description = "The payload, a JSON object (default: ${DEFAULT-VALUE}).")
  String payload;

  /** The payload as a JSON object, or a clear error. */
  JsonNode payload(JsonMapper json) {
    JsonNode tree;
    try {
      tree = json.readValue(payload, JsonNode.class);
    } catch (IOException e) {
      throw new CommandFailure("--payload is not valid JSON: " + e.getMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw new CommandFailure("--payload must be a JSON object, e.g. '{\"id\": 1}'");
    }
    return tree;
  }

  /** {@code text} as a duration: {@code 30s}, {@code 5m}, {@code 2h} or ISO-8601 ({@code PT1H}). */
  public static Duration duration(String option, String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(text.trim().toUpperCase(java.util.Locale.ROOT));
      }
      long amount = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new CommandFailure(
          option + " '" + text + "' is not a duration such as 30s, 5m or PT1H");
    }
  }
}
