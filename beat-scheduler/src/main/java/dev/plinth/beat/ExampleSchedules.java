package dev.plinth.beat;

import dev.plinth.platform.scheduling.Schedule;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.ZoneOffset;

/**
 * The example's schedules declared in code. Switch one off with {@code
 * plinth.beat.schedules.<name>.enabled=false}; configuration can declare more.
 */
@Factory
class ExampleSchedules {
  /** Nightly: delete the example domain's expired records (handled by the worker). */
  @Singleton
  Schedule cleanupExpired() {
    return Schedule.cron("example-cleanup", "example.cleanup_expired", "15 3 * * *", ZoneOffset.UTC)
        .withPayload("{\"older_than_days\": 7}");
  }
}
