package dev.plinth.platform.tasks;

import java.util.Objects;

/**
 * A task contract: the name on the wire (Celery's {@code task} header) and the type its payload
 * binds to. Producers and the handler share one constant of this type.
 *
 * @param <P> the payload type, a {@code @Serdeable} record or class
 */
public record TaskDefinition<P>(String name, Class<P> payloadType) {
  public TaskDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(payloadType, "payloadType");
    if (name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException("a task name has 1-200 characters");
    }
  }

  public static <P> TaskDefinition<P> of(String name, Class<P> payloadType) {
    return new TaskDefinition<>(name, payloadType);
  }
}
