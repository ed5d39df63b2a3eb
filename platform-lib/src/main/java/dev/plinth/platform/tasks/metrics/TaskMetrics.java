package dev.plinth.platform.tasks.metrics;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.tasks.TaskRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Records what the task layer does, on Micrometer when it is on (WEB, WORKER, BEAT) and nowhere
 * otherwise (TASK switches metrics off): every call is then a no-op. Meters are looked up once per
 * label set and kept; a task name no handler is registered for is recorded as {@code unregistered},
 * so a producer cannot grow the label set.
 */
@Singleton
@Requires(property = PlinthProperties.TASKS_ENABLED, notEquals = "false")
public class TaskMetrics {
  static final String UNREGISTERED = "unregistered";

  // Run times and waits from a millisecond to a minute: the buckets an alert on either needs.
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
    Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
    Duration.ofSeconds(60)
  };

  private final MeterRegistry registry;
  private final TaskRegistry tasks;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  public TaskMetrics(Optional<MeterRegistry> registry, TaskRegistry tasks) {
    this.registry = registry.orElse(null);
    this.tasks = tasks;
    if (this.registry != null) {
      this.registry.gauge("plinth.task.in.flight", inFlight);
    }
  }

  /**
   * A consumer's prefetch window and how much of it is delivered but not yet acknowledged: held by
   * running tasks, by successes waiting for their group commit, or by ETAs.
   */
  public void consuming(int prefetch, IntSupplier unacknowledged) {
    if (registry != null) {
      Gauge.builder("plinth.task.prefetch", () -> prefetch).register(registry);
      Gauge.builder("plinth.task.unacked", unacknowledged::getAsInt).register(registry);
    }
  }

  /** A run of {@code task} ended with {@code outcome} after {@code nanos}, waiting {@code wait}. */
  public void run(String task, String outcome, long nanos, long waitMillis) {
    if (registry == null) {
      return;
    }
    String name = tasks.find(task).isPresent() ? task : UNREGISTERED;
    counter("plinth.task.runs", "task", name, "outcome", outcome).increment();
    timer("plinth.task.run.duration", "task", name).record(nanos, TimeUnit.NANOSECONDS);
    timer("plinth.task.queue.wait", "task", name).record(waitMillis, TimeUnit.MILLISECONDS);
  }

  /** One more task running on this process; {@link #finished()} when it ends. */
  public void started() {
    inFlight.incrementAndGet();
  }

  public void finished() {
    inFlight.decrementAndGet();
  }

  /** {@code messages} published to {@code queue}: confirmed or not, after {@code nanos}. */
  public void published(String queue, int messages, boolean confirmed, long nanos) {
    if (registry == null) {
      return;
    }
    counter("plinth.task.published", "queue", queue, "outcome", confirmed ? "confirmed" : "failed")
        .increment(messages);
    timer("plinth.task.publish.duration", "queue", queue).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A message of {@code queue} went to its dead-letter queue. */
  public void deadLettered(String queue) {
    if (registry != null) {
      counter("plinth.task.dead.lettered", "queue", queue).increment();
    }
  }

  private Counter counter(String name, String... tags) {
    return counters.computeIfAbsent(
        key(name, tags), k -> Counter.builder(name).tags(tags).register(registry));
  }

  private Timer timer(String name, String... tags) {
    return timers.computeIfAbsent(
        key(name, tags),
        k -> Timer.builder(name).tags(tags).serviceLevelObjectives(BUCKETS).register(registry));
  }

  private static String key(String name, String... tags) {
    return name + '\u0000' + String.join("\u0000", tags);
  }
}
