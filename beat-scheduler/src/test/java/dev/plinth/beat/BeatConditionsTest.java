package dev.plinth.beat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.plinth.beat.scheduling.BeatConfiguration;
import dev.plinth.beat.scheduling.BeatScheduler;
import dev.plinth.beat.scheduling.BeatTickingCheck;
import dev.plinth.beat.scheduling.MisfirePolicy;
import dev.plinth.beat.scheduling.Schedule;
import dev.plinth.beat.scheduling.ScheduleRegistry;
import dev.plinth.platform.config.ConfigurationError;
import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.TestServices;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BEAT in-process on H2: the scheduler and its check switched on and off by configuration. */
class BeatConditionsTest {
  @TempDir Path dataDir;

  private Map<String, String> env() {
    Map<String, String> env = InProcessMode.localEnvironment(dataDir);
    env.putAll(TestServices.brokerVariables());
    return env;
  }

  @Test
  void theSchedulerTicksAndReportsInTheHeartbeat() {
    try (InProcessMode beat =
        InProcessMode.start(
            Application.MODE,
            Application.class,
            env(),
            Map.of(
                "plinth.beat.schedules.hourly.task", "example.report",
                "plinth.beat.external-tasks", "example.report",
                "plinth.beat.schedules.hourly.cron", "0 * * * *",
                "plinth.beat.schedules.hourly.zone", "Europe/London",
                "plinth.beat.schedules.hourly.misfire", "SKIP",
                "plinth.beat.schedules.example-export.enabled", "false"))) {
      ScheduleRegistry registry = beat.context().getBean(ScheduleRegistry.class);
      assertThat(registry.all())
          .extracting(Schedule::name)
          .containsExactlyInAnyOrder("example-export", "hourly");
      assertThat(registry.enabled()).extracting(Schedule::name).containsExactly("hourly");
      assertThat(registry.enabled().get(0).misfire()).isEqualTo(MisfirePolicy.SKIP);

      BeatScheduler scheduler = beat.context().getBean(BeatScheduler.class);
      await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.lastTick() != null);
      HttpResponse<String> heartbeat = beat.get("/__heartbeat__");
      assertThat(heartbeat.body()).contains("\"beat\"");
    }
  }

  @Test
  void switchedOffThereIsNoSchedulerAndNoCheck() {
    try (InProcessMode beat =
        InProcessMode.start(
            Application.MODE,
            Application.class,
            env(),
            Map.of(BeatConfiguration.ENABLED, "false"))) {
      assertThat(beat.context().containsBean(BeatScheduler.class)).isFalse();
      assertThat(beat.context().containsBean(BeatTickingCheck.class)).isFalse();
      assertThat(beat.get("/__heartbeat__").body()).doesNotContain("\"beat\"");
    }
  }

  @Test
  void aScheduleNamingATaskNothingServesStopsStartUpWithOneLine() {
    assertThatThrownBy(
            () ->
                InProcessMode.start(
                    Application.MODE,
                    Application.class,
                    env(),
                    Map.of(
                        "plinth.beat.schedules.typo.task", "example.export_nots",
                        "plinth.beat.schedules.typo.interval", "1m")))
        .rootCause()
        .isInstanceOf(ConfigurationError.class)
        .hasMessage(
            "plinth.beat.schedules.typo.task: expected a task with a handler in this service, or"
                + " one listed in plinth.beat.external-tasks, but got 'example.export_nots'");
  }
}
