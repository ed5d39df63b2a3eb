package dev.plinth.beat.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plinth.platform.config.ConfigurationError;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleRegistryTest {
  private static ScheduleConfiguration configured(String name) {
    ScheduleConfiguration p = new ScheduleConfiguration(name);
    p.setTask("example.task");
    return p;
  }

  @Test
  void configurationDeclaresAndSwitchesCodeSchedules() {
    ScheduleConfiguration daily = configured("daily");
    daily.setCron("0 6 * * MON-FRI");
    daily.setZone("America/New_York");
    daily.setPayload(" {\"k\": 1} ");
    ScheduleConfiguration off = new ScheduleConfiguration("in-code");
    off.setEnabled(false);
    Schedule inCode = Schedule.every("in-code", "example.other", Duration.ofMinutes(5));

    ScheduleRegistry registry = new ScheduleRegistry(List.of(daily, off), List.of(inCode));

    assertThat(registry.all()).extracting(Schedule::name).containsExactly("in-code", "daily");
    assertThat(registry.enabled()).extracting(Schedule::name).containsExactly("daily");
    Schedule parsed = registry.enabled().get(0);
    assertThat(parsed.payload()).isEqualTo("{\"k\": 1}");
    assertThat(parsed.trigger()).hasToString("cron '0 6 * * MON-FRI' America/New_York");
    assertThat(((ScheduleTrigger.Cron) parsed.trigger()).zone())
        .isEqualTo(ZoneId.of("America/New_York"));
  }

  @Test
  void badEntriesNameTheirProperty() {
    ScheduleConfiguration both = configured("both");
    both.setCron("* * * * *");
    both.setInterval(Duration.ofSeconds(5));
    assertThatThrownBy(() -> new ScheduleRegistry(List.of(both), List.of()))
        .isInstanceOf(ConfigurationError.class)
        .hasMessage(
            "plinth.beat.schedules.both.interval: expected exactly one of interval and cron");

    ScheduleConfiguration zone = configured("zone");
    zone.setCron("* * * * *");
    zone.setZone("Mars/Olympus");
    assertThatThrownBy(() -> new ScheduleRegistry(List.of(zone), List.of()))
        .hasMessageStartingWith("plinth.beat.schedules.zone.zone: expected a time zone id");

    ScheduleConfiguration payload = configured("payload");
    payload.setInterval(Duration.ofSeconds(5));
    payload.setPayload("[1, 2]");
    assertThatThrownBy(() -> new ScheduleRegistry(List.of(payload), List.of()))
        .hasMessageStartingWith("plinth.beat.schedules.payload.payload: expected");

    ScheduleConfiguration tooOften = configured("fast");
    tooOften.setInterval(Duration.ofMillis(200));
    assertThatThrownBy(() -> new ScheduleRegistry(List.of(tooOften), List.of()))
        .hasMessageContaining("at least 1s");

    ScheduleConfiguration noTask = new ScheduleConfiguration("no-task");
    noTask.setInterval(Duration.ofSeconds(5));
    assertThatThrownBy(() -> new ScheduleRegistry(List.of(noTask), List.of()))
        .hasMessageStartingWith("plinth.beat.schedules.no-task.task");
  }
}
