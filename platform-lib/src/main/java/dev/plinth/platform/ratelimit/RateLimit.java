package dev.plinth.platform.ratelimit;

import java.time.Duration;

/**
 * A rate in Celery's notation, for tasks and requests alike: {@code 10/s}, {@code 100/m}, {@code
 * 1000/h}, or a bare number per second.
 *
 * @param count how many (tasks, requests)
 * @param per in how long
 */
public record RateLimit(long count, Duration per) {
  /**
   * Reads {@code text}.
   *
   * @throws IllegalArgumentException when it is not a rate
   */
  public static RateLimit parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    try {
      long count = Long.parseLong(slash < 0 ? t : t.substring(0, slash).trim());
      Duration per =
          slash < 0
              ? Duration.ofSeconds(1)
              : switch (t.substring(slash + 1).trim()) {
                case "s" -> Duration.ofSeconds(1);
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                default -> throw new IllegalArgumentException(text);
              };
      if (count < 1) {
        throw new IllegalArgumentException(text);
      }
      return new RateLimit(count, per);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a rate limit such as 10/s, 100/m or 1000/h", e);
    }
  }

  /** The time one token takes to come back. */
  public Duration interval() {
    return per.dividedBy(count);
  }
}
