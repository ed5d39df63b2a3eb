package dev.plinth.platform.dockerflow;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one check in one heartbeat: its messages and the worst of their levels ({@link
 * CheckLevel#OK} when there are none).
 */
public record CheckResult(String name, CheckLevel level, List<CheckMessage> messages) {
  public CheckResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(level, "level");
    messages = List.copyOf(messages);
  }

  /** A result whose level is the worst level among {@code messages}. */
  public static CheckResult of(String name, List<CheckMessage> messages) {
    CheckLevel worst =
        messages.stream()
            .map(CheckMessage::level)
            .max(Comparator.comparingInt(CheckLevel::value))
            .orElse(CheckLevel.OK);
    return new CheckResult(name, worst, messages);
  }
}
