package dev.plinth.beat.scheduling;

import dev.plinth.platform.dockerflow.CheckMessage;
import dev.plinth.platform.dockerflow.HealthCheck;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Heartbeat check {@code beat}: the scheduler is ticking (its last tick is not stale), and no due
 * run has waited long for the broker.
 */
@Singleton
@Requires(beans = BeatScheduler.class)
public class BeatTickingCheck implements HealthCheck {
  /** The check's name under {@code checks} in {@code /__heartbeat__}. */
  public static final String NAME = "beat";

  public static final String NOT_TICKED = "plinth.beat.E001";
  public static final String STALE = "plinth.beat.E002";
  public static final String WAITING = "plinth.beat.W001";

  private final BeatScheduler scheduler;
  private final ScheduledRunStore store;
  private final Clock clock;
  private final BeatConfiguration properties;

  public BeatTickingCheck(
      BeatScheduler scheduler, ScheduledRunStore store, Clock clock, BeatConfiguration properties) {
    this.scheduler = scheduler;
    this.store = store;
    this.clock = clock;
    this.properties = properties;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<CheckMessage> run() throws Exception {
    List<CheckMessage> messages = new ArrayList<>();
    Instant now = clock.instant();
    Instant last = scheduler.lastTick();
    Duration stale = properties.getStaleAfter();
    if (last == null) {
      messages.add(CheckMessage.error(NOT_TICKED, "the scheduler has not ticked yet"));
    } else if (Duration.between(last, now).compareTo(stale) > 0) {
      messages.add(
          CheckMessage.error(
              STALE,
              "the scheduler last ticked "
                  + Duration.between(last, now).toSeconds()
                  + "s ago (limit "
                  + stale.toSeconds()
                  + "s)"));
    }
    int waiting = store.countUnpublished(now.minus(properties.getRetryAfter()));
    if (waiting > 0) {
      messages.add(
          CheckMessage.warning(
              WAITING, waiting + " due run(s) waiting to be published to the broker"));
    }
    return messages;
  }
}
