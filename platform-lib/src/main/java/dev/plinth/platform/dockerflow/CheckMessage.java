package dev.plinth.platform.dockerflow;

import java.util.Objects;

/**
 * One finding of a check: a level, a stable id (for example {@code plinth.database.E001}) that
 * alerts and runbooks can refer to, and a human text that never contains a secret.
 */
public record CheckMessage(CheckLevel level, String id, String text) {
  public CheckMessage {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
  }

  public static CheckMessage error(String id, String text) {
    return new CheckMessage(CheckLevel.ERROR, id, text);
  }

  public static CheckMessage warning(String id, String text) {
    return new CheckMessage(CheckLevel.WARNING, id, text);
  }

  public static CheckMessage info(String id, String text) {
    return new CheckMessage(CheckLevel.INFO, id, text);
  }
}
