package dev.plinth.beat.scheduling;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.util.List;

/**
 * {@code plinth.beat.*}: the scheduler's knobs, with their defaults in one place. The scheduler is
 * on wherever this module is on the class path (the BEAT mode); {@code plinth.beat.enabled=false}
 * switches it off.
 */
@ConfigurationProperties(BeatConfiguration.PREFIX)
public class BeatConfiguration {
  /** {@code plinth.beat}: every key of the scheduler starts here. */
  public static final String PREFIX = "plinth.beat";

  /** {@code false} switches the scheduler off where this module is on the class path. */
  public static final String ENABLED = PREFIX + ".enabled";

  /** {@code plinth.beat.schedules.<name>.*}: one schedule each ({@code ScheduleConfiguration}). */
  public static final String SCHEDULES = PREFIX + ".schedules";

  private boolean enabled = true;
  private Duration tick = Duration.ofSeconds(1);
  private Duration misfireGrace = Duration.ofSeconds(10);
  private Duration retryAfter = Duration.ofSeconds(30);
  private Duration retention = Duration.ofDays(7);
  private Duration staleAfter = Duration.ofSeconds(15);
  private Duration shutdownGrace = Duration.ofSeconds(20);
  private List<String> externalTasks = List.of();

  /** Whether this process runs the scheduler. */
  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** The longest the scheduler sleeps between two looks at its schedules. */
  public Duration getTick() {
    return tick;
  }

  public void setTick(Duration tick) {
    this.tick = tick;
  }

  /**
   * A scheduler that finds a due time older than this has fallen behind (downtime): the missed runs
   * are a misfire, handled by each schedule's policy. Younger due times are published late.
   */
  public Duration getMisfireGrace() {
    return misfireGrace;
  }

  public void setMisfireGrace(Duration misfireGrace) {
    this.misfireGrace = misfireGrace;
  }

  /**
   * A claimed run still unpublished after this is published again (by any replica). Must exceed
   * {@code plinth.tasks.confirm-timeout} (checked at start by {@link BeatStartupCheck}).
   */
  public Duration getRetryAfter() {
    return retryAfter;
  }

  public void setRetryAfter(Duration retryAfter) {
    this.retryAfter = retryAfter;
  }

  /**
   * On stop, how long the tick in progress and the publishes it handed on may take to finish
   * ({@code APP_SHUTDOWN_GRACE_SECONDS}).
   */
  public Duration getShutdownGrace() {
    return shutdownGrace;
  }

  public void setShutdownGrace(Duration shutdownGrace) {
    this.shutdownGrace = shutdownGrace;
  }

  /** Published runs older than this are deleted from {@code beat_runs}. */
  public Duration getRetention() {
    return retention;
  }

  public void setRetention(Duration retention) {
    this.retention = retention;
  }

  /**
   * Tasks that workers outside this service's code serve (a Python Celery worker, another service):
   * schedules may name them although no handler here does. Any other task a schedule names must
   * have a handler, or start-up stops (checked by {@link BeatStartupCheck}).
   */
  public List<String> getExternalTasks() {
    return externalTasks;
  }

  public void setExternalTasks(List<String> externalTasks) {
    this.externalTasks = List.copyOf(externalTasks);
  }

  /** The heartbeat fails when the scheduler has not ticked for this long. */
  public Duration getStaleAfter() {
    return staleAfter;
  }

  public void setStaleAfter(Duration staleAfter) {
    this.staleAfter = staleAfter;
  }
}
