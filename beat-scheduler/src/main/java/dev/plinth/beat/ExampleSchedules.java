package dev.plinth.beat;

import dev.plinth.beat.scheduling.Schedule;
import dev.plinth.example.export.ExportTasks;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.ZoneOffset;

/**
 * The example's schedules declared in code. Switch one off with {@code
 * plinth.beat.schedules.<name>.enabled=false}; configuration can declare more.
 */
@Factory
class ExampleSchedules {
  /** Nightly: export every note as CSV (a task the example's handler serves, in the worker). */
  @Singleton
  Schedule exportNotes() {
    return Schedule.cron(
            "example-export", ExportTasks.EXPORT_NOTES.name(), "15 3 * * *", ZoneOffset.UTC)
        .withPayload("{\"requestedBy\": \"beat\"}");
  }
}
