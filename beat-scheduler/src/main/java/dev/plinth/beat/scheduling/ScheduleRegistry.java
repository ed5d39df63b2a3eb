package dev.plinth.beat.scheduling;

import dev.plinth.platform.config.ConfigurationError;
import jakarta.inject.Singleton;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every schedule of the service: those declared in code (beans of {@link Schedule}) and those
 * declared in configuration, checked once at start-up. A configuration entry with the name of a
 * code schedule and only {@code enabled} set switches that schedule on or off.
 */
@Singleton
public class ScheduleRegistry {
  private final List<Schedule> all;

  public ScheduleRegistry(List<ScheduleConfiguration> configured, List<Schedule> declared) {
    Map<String, Schedule> byName = new LinkedHashMap<>();
    for (Schedule schedule : declared) {
      if (byName.put(schedule.name(), schedule) != null) {
        throw new ConfigurationError(
            "schedule " + schedule.name(), "one schedule bean per name, found two");
      }
    }
    for (ScheduleConfiguration properties : configured) {
      Schedule inCode = byName.get(properties.getName());
      if (inCode != null && properties.getTask() == null) {
        if (properties.getEnabled() != null) {
          byName.put(inCode.name(), inCode.withEnabled(properties.getEnabled()));
        }
        continue;
      }
      byName.put(properties.getName(), fromProperties(properties));
    }
    this.all = List.copyOf(byName.values());
  }

  /** Every schedule, enabled or not. */
  public List<Schedule> all() {
    return all;
  }

  /** The schedules the scheduler runs. */
  public List<Schedule> enabled() {
    List<Schedule> on = new ArrayList<>();
    for (Schedule schedule : all) {
      if (schedule.enabled()) {
        on.add(schedule);
      }
    }
    return on;
  }

  static Schedule fromProperties(ScheduleConfiguration p) {
    String prefix = BeatConfiguration.SCHEDULES + "." + p.getName() + ".";
    if (p.getTask() == null || p.getTask().isBlank()) {
      throw new ConfigurationError(prefix + "task", "the name of the task to publish");
    }
    if ((p.getInterval() == null) == (p.getCron() == null)) {
      throw new ConfigurationError(prefix + "interval", "exactly one of interval and cron");
    }
    ScheduleTrigger trigger;
    try {
      if (p.getInterval() != null) {
        trigger = new ScheduleTrigger.Interval(p.getInterval());
      } else {
        trigger = new ScheduleTrigger.Cron(CronExpression.parse(p.getCron()), zone(prefix, p));
      }
      return new Schedule(
          p.getName(),
          p.getTask(),
          p.getPayload(),
          p.getQueue(),
          trigger,
          p.getEnabled() == null || p.getEnabled(),
          p.getMisfire());
    } catch (IllegalArgumentException e) {
      String property =
          e.getMessage().contains("payload")
              ? "payload"
              : p.getInterval() != null ? "interval" : "cron";
      throw new ConfigurationError(prefix + property, e.getMessage());
    }
  }

  private static ZoneId zone(String prefix, ScheduleConfiguration p) {
    try {
      return ZoneId.of(p.getZone());
    } catch (DateTimeException e) {
      throw new ConfigurationError(prefix + "zone", "a time zone id such as Europe/London");
    }
  }
}
