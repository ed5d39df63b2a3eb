package dev.plinth.platform.tasks;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The handler beans of this process, by task name. Two handlers for one name fail start-up. */
@Singleton
@Requires(property = PlinthProperties.TASKS_ENABLED, notEquals = "false")
public class TaskRegistry {
  private final Map<String, TaskHandler<?>> handlers = new HashMap<>();

  public TaskRegistry(List<TaskHandler<?>> beans) {
    for (TaskHandler<?> handler : beans) {
      TaskHandler<?> previous = handlers.put(handler.definition().name(), handler);
      if (previous != null) {
        throw new IllegalStateException(
            "two handlers for task "
                + handler.definition().name()
                + ": "
                + previous.getClass().getName()
                + " and "
                + handler.getClass().getName());
      }
    }
  }

  public Optional<TaskHandler<?>> find(String name) {
    return Optional.ofNullable(handlers.get(name));
  }

  public Set<String> names() {
    return Set.copyOf(handlers.keySet());
  }
}
