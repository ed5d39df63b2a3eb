package dev.plinth.task.commands;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code TASK --payload JSON}: the task name and payload that {@code enqueue} and {@code run} both
 * take (a picocli mixin).
 */
final class TaskArguments {
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
}
