package dev.plinth.beat.scheduling;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.time.Duration;

/**
 * {@code plinth.beat.schedules.<name>.*}: a schedule declared in configuration, or (with only
 * {@code enabled}) the switch of a schedule declared in code under the same name.
 */
@EachProperty(BeatConfiguration.SCHEDULES)
public class ScheduleConfiguration {
  private final String name;
  private String task;
  private String payload;
  private String queue;
  private Duration interval;
  private String cron;
  private String zone = "UTC";
  private Boolean enabled;
  private MisfirePolicy misfire = MisfirePolicy.RUN_ONCE;

  public ScheduleConfiguration(@Parameter String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  /** The task name to publish. */
  public String getTask() {
    return task;
  }

  public void setTask(String task) {
    this.task = task;
  }

  /** The payload, a JSON object of the task's keyword arguments; {@code {}} when unset. */
  public String getPayload() {
    return payload;
  }

  public void setPayload(String payload) {
    this.payload = payload;
  }

  /** The queue to publish to; the task API's routing when unset. */
  public String getQueue() {
    return queue;
  }

  public void setQueue(String queue) {
    this.queue = queue;
  }

  /** Fire every interval (aligned to the epoch); exclusive with {@code cron}. */
  public Duration getInterval() {
    return interval;
  }

  public void setInterval(Duration interval) {
    this.interval = interval;
  }

  /** A five-field cron expression; exclusive with {@code interval}. */
  public String getCron() {
    return cron;
  }

  public void setCron(String cron) {
    this.cron = cron;
  }

  /** The time zone whose wall clock the cron expression reads; UTC by default. */
  public String getZone() {
    return zone;
  }

  public void setZone(String zone) {
    this.zone = zone;
  }

  /** Null when not set, so that a code schedule keeps its own default. */
  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public MisfirePolicy getMisfire() {
    return misfire;
  }

  public void setMisfire(MisfirePolicy misfire) {
    this.misfire = misfire;
  }
}
