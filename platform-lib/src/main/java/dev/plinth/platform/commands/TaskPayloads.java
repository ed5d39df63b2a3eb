package dev.plinth.platform.commands;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;

/** A payload given on the command line: a JSON object, or a clear error. */
final class TaskPayloads {
  private TaskPayloads() {}

  static JsonNode parse(JsonMapper json, String payload) {
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
