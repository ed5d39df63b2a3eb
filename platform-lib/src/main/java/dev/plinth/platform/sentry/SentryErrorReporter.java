package dev.plinth.platform.sentry;

import dev.plinth.platform.logging.RequestIds;
import io.sentry.Sentry;
import io.sentry.protocol.Request;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;

/** Sends to Sentry with the MDC's correlation ids as tags. */
final class SentryErrorReporter implements ErrorReporter {
  /** MDC keys that become Sentry tags (also on ERROR log events, see SentryLifecycle). */
  static final List<String> TAGGED_MDC_KEYS =
      List.of("rid", "task_id", "task_name", "attempt", "queue");

  @Override
  public void report(Throwable error, Map<String, String> tags) {
    report(error, tags, null, null);
  }

  void report(Throwable error, Map<String, String> tags, Request request, String user) {
    Sentry.withScope(
        scope -> {
          RequestIds.current().ifPresent(rid -> scope.setTag(RequestIds.MDC_KEY, rid));
          for (String key : TAGGED_MDC_KEYS) {
            String value = MDC.get(key);
            if (value != null) {
              scope.setTag(key, value);
            }
          }
          tags.forEach(scope::setTag);
          if (request != null) {
            scope.setRequest(request);
          }
          // The user the request ran for (a task's comes from the MDC: SentryLifecycle).
          if (user != null) {
            scope.setUser(SentryLifecycle.user(user));
          }
          Sentry.captureException(error);
        });
  }
}
