package dev.plinth.platform.tasks.broker;

import dev.plinth.platform.tasks.TaskQueue;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.util.Set;

/** Reads a Celery result ({@code {task_id, status, result, traceback}}) into a value or error. */
public final class RpcResults {
  private static final Set<String> READY = Set.of("SUCCESS", "FAILURE", "REVOKED");

  private RpcResults() {}

  public static boolean isReady(String status) {
    return READY.contains(status);
  }

  public static <R> R read(JsonMapper json, JsonNode meta, Class<R> type) {
    String status = meta.get("status").getStringValue();
    JsonNode result = meta.get("result");
    if ("SUCCESS".equals(status)) {
      try {
        return result == null || result.isNull() ? null : json.readValueFromTree(result, type);
      } catch (IOException e) {
        throw new TaskQueue.TaskCallException(
            "ResultTypeError", "result does not fit " + type.getSimpleName());
      }
    }
    String excType = status;
    String message = "";
    if (result != null && result.isObject()) {
      JsonNode t = result.get("exc_type");
      excType = t == null ? status : t.coerceStringValue();
      JsonNode m = result.get("exc_message");
      if (m != null && m.isArray() && m.size() > 0) {
        message = m.get(0).coerceStringValue();
      } else if (m != null) {
        message = m.coerceStringValue();
      }
    }
    throw new TaskQueue.TaskCallException(excType, message);
  }
}
