package dev.plinth.beat.scheduling;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * BEAT's meters: ticks by outcome, publishes and failed publishes by schedule, how long after its
 * due time a run was confirmed, and whether this replica held the housekeeping lock at its last
 * try. No-ops without a meter registry. Labels are schedule names (configuration), never run ids.
 */
@Singleton
public class BeatMetrics {
  /** Without meters: the scheduler's tests, and any process with metrics switched off. */
  public static final BeatMetrics NONE = new BeatMetrics(Optional.empty());

  private static final Duration[] LAG_BUCKETS = {
    Duration.ofMillis(100),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(30),
    Duration.ofSeconds(120)
  };

  private final MeterRegistry registry;
  private final AtomicInteger leader = new AtomicInteger();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> lags = new ConcurrentHashMap<>();

  public BeatMetrics(Optional<MeterRegistry> registry) {
    this.registry = registry.orElse(null);
    if (this.registry != null) {
      this.registry.gauge("plinth.beat.housekeeping.leader", leader);
    }
  }

  void tick(boolean ok) {
    count("plinth.beat.ticks", "outcome", ok ? "ok" : "failed");
  }

  void published(String schedule, Duration lag) {
    count("plinth.beat.published", "schedule", schedule);
    if (registry != null) {
      lags.computeIfAbsent(
              schedule,
              s ->
                  Timer.builder("plinth.beat.publish.lag")
                      .tag("schedule", s)
                      .serviceLevelObjectives(LAG_BUCKETS)
                      .register(registry))
          .record(lag.isNegative() ? Duration.ZERO : lag);
    }
  }

  void publishFailed(String schedule) {
    count("plinth.beat.publish.failures", "schedule", schedule);
  }

  void housekeeping(boolean held) {
    leader.set(held ? 1 : 0);
  }

  private void count(String name, String tag, String value) {
    if (registry != null) {
      counters
          .computeIfAbsent(
              name + '\u0000' + value,
              k -> Counter.builder(name).tag(tag, value).register(registry))
          .increment();
    }
  }
}
