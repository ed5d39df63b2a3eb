package dev.plinth.platform.sentry;

import java.util.Map;

/**
 * Reports an error that the code handled but an operator must see: a failed task run, a scheduled
 * run or a command that threw. Inject it; it sends to Sentry when {@code SENTRY_DSN} is set and
 * does nothing otherwise. The MDC keys {@code rid}, {@code task_id}, {@code task_name} and {@code
 * attempt} become tags; secrets are scrubbed before anything leaves the process.
 */
public interface ErrorReporter {
  /** Used when Sentry is off: costs nothing, loads nothing. */
  ErrorReporter NONE = (error, tags) -> {};

  void report(Throwable error, Map<String, String> tags);

  default void report(Throwable error) {
    report(error, Map.of());
  }
}
