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
  private final BeatScheduler scheduler;
  private final ScheduledRunStore store;
  private final Clock clock;
  private final BeatProperties properties;

  public BeatTickingCheck(
      BeatScheduler scheduler, ScheduledRunStore store, Clock clock, BeatProperties properties) {
    this.scheduler = scheduler;
    this.store = store;
    this.clock = clock;
    this.properties = properties;
  }

  @Override
  public String name() {
    return "beat";
  }

  @Override
  public List<CheckMessage> run() throws Exception {
    List<CheckMessage> messages = new ArrayList<>();
    Instant now = clock.instant();
    Instant last = scheduler.lastTick();
    Duration stale = properties.getStaleAfter();
    if (last == null) {
      messages.add(CheckMessage.error("plinth.beat.E001", "the scheduler has not ticked yet"));
    } else if (Duration.between(last, now).compareTo(stale) > 0) {
      messages.add(
          CheckMessage.error(
              "plinth.beat.E002",
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
              "plinth.beat.W001", waiting + " due run(s) waiting to be published to the broker"));
    }
    return messages;
  }
}
