package dev.plinth.beat.scheduling;

import dev.plinth.beat.scheduling.ScheduledRunStore.PendingRun;
import dev.plinth.platform.sentry.ErrorReporter;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BEAT's loop. Each tick, for every enabled schedule, it works out the due times since the
 * schedule's last recorded run and claims each by inserting its row in {@code beat_runs}; the
 * replica whose insert wins publishes it, so a due run is published once however many replicas
 * tick. A run is recorded before it is published and marked after the broker confirms, so a crash
 * or a broker outage leaves it recorded as unpublished, and the housekeeping pass (one replica at a
 * time, under a ShedLock lock) publishes it again.
 */
@Singleton
@Requires(property = BeatConfiguration.ENABLED, notEquals = "false")
public class BeatScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BeatScheduler.class);
  static final String HOUSEKEEPING_LOCK = "plinth-beat-housekeeping";
  private static final int RETRY_BATCH = 100;

  private final ScheduleRegistry registry;
  private final ScheduledRunStore store;
  private final DueRunPublisher publisher;
  private final LockProvider locks;
  private final Clock clock;
  private final BeatConfiguration properties;
  private final ErrorReporter errors;
  private final BeatMetrics metrics;
  private final String node;
  private final ScheduledExecutorService ticker;
  private final ExecutorService publishing;
  private final Instant startedAt;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private volatile Instant lastTick;
  private Instant nextHousekeeping;

  public BeatScheduler(
      ScheduleRegistry registry,
      ScheduledRunStore store,
      DueRunPublisher publisher,
      LockProvider locks,
      Clock clock,
      BeatConfiguration properties,
      ErrorReporter errors,
      BeatMetrics metrics) {
    this.registry = registry;
    this.errors = errors;
    this.metrics = metrics;
    this.store = store;
    this.publisher = publisher;
    this.locks = locks;
    this.clock = clock;
    this.properties = properties;
    this.node = NodeName.current();
    this.startedAt = clock.instant();
    this.nextHousekeeping = startedAt;
    ScheduledThreadPoolExecutor tickThread =
        new ScheduledThreadPoolExecutor(1, r -> thread(r, "plinth-beat-tick"));
    // On stop the tick in progress finishes; the next one, already scheduled, never starts.
    tickThread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.ticker = tickThread;
    // One publisher thread keeps runs in due order and waits out the broker's confirms off the
    // tick thread, so a slow broker never stops the clock.
    this.publishing = Executors.newSingleThreadExecutor(r -> thread(r, "plinth-beat-publish"));
  }

  @EventListener
  void onStartup(StartupEvent event) {
    start();
  }

  /** Starts ticking on a thread of its own. */
  public void start() {
    log.atInfo()
        .addKeyValue("node", node)
        .addKeyValue("schedules", registry.enabled().size())
        .log("beat.started");
    ticker.execute(this::loop);
  }

  private void loop() {
    Instant wake;
    try {
      wake = tick();
      metrics.tick(true);
    } catch (Exception e) {
      metrics.tick(false);
      // The database is the usual cause; the heartbeat shows the stale tick if it lasts.
      log.atWarn().addKeyValue("error", e.toString()).setCause(e).log("beat.tick.failed");
      wake = clock.instant().plus(properties.getTick());
    }
    long delayNanos = Math.max(0, Duration.between(clock.instant(), wake).toNanos());
    try {
      ticker.schedule(this::loop, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // Stopping: this was the last tick.
    }
  }

  /**
   * One look at every schedule. Returns when the scheduler should look again: the earliest next due
   * time, and no later than one tick from now.
   */
  public Instant tick() throws Exception {
    Instant now = clock.instant();
    Map<String, Instant> last = store.lastDueTimes();
    Instant wake = now.plus(properties.getTick());
    for (Schedule schedule : registry.enabled()) {
      Instant from = last.getOrDefault(schedule.name(), startedAt);
      fire(schedule, from, now);
      Instant next = schedule.trigger().nextAfter(now);
      if (next.isBefore(wake)) {
        wake = next;
      }
    }
    if (!now.isBefore(nextHousekeeping)) {
      nextHousekeeping = now.plus(properties.getTick().multipliedBy(5));
      housekeeping(now);
    }
    lastTick = now;
    return wake;
  }

  private void fire(Schedule schedule, Instant from, Instant now) throws Exception {
    ScheduleTrigger trigger = schedule.trigger();
    Instant first = trigger.nextAfter(from);
    if (first.isAfter(now)) {
      return;
    }
    Instant graceStart = now.minus(properties.getMisfireGrace());
    Instant onTimeFrom = from;
    if (first.isBefore(graceStart)) {
      // Fell behind (no scheduler was running): the schedule's misfire policy decides.
      if (schedule.misfire() == MisfirePolicy.RUN_ONCE) {
        claimAndPublish(schedule, trigger.latestBetween(from, now), true);
        return;
      }
      Instant latestMissed = trigger.latestBetween(from, graceStart);
      DueRun skipped = DueRun.of(schedule, latestMissed);
      if (store.claim(skipped, true, node, now)) {
        logMisfire(skipped, schedule.misfire());
      }
      onTimeFrom = latestMissed;
    }
    for (Instant due = trigger.nextAfter(onTimeFrom);
        !due.isAfter(now);
        due = trigger.nextAfter(due)) {
      claimAndPublish(schedule, due, false);
    }
  }

  private void claimAndPublish(Schedule schedule, Instant due, boolean misfire) throws Exception {
    DueRun run = DueRun.of(schedule, due);
    if (store.claim(run, false, node, clock.instant())) {
      if (misfire) {
        logMisfire(run, schedule.misfire());
      }
      publishLater(run);
    }
  }

  private static void logMisfire(DueRun run, MisfirePolicy policy) {
    log.atWarn()
        .addKeyValue("schedule", run.schedule())
        .addKeyValue("due", run.dueAt().toString())
        .addKeyValue("policy", policy.name())
        .log("beat.misfire");
  }

  private void publishLater(DueRun run) {
    if (inFlight.add(run.taskId())) {
      publishing.execute(() -> publish(run));
    }
  }

  private void publish(DueRun run) {
    try {
      publisher.publish(run);
      Instant at = clock.instant();
      store.markPublished(run, at);
      log.atInfo()
          .addKeyValue("schedule", run.schedule())
          .addKeyValue("task_name", run.task())
          .addKeyValue("task_id", run.taskId())
          .addKeyValue("due", run.dueAt().toString())
          .addKeyValue("delay_ms", Duration.between(run.dueAt(), at).toMillis())
          .log("beat.published");
      metrics.published(run.schedule(), Duration.between(run.dueAt(), at));
    } catch (Exception e) {
      log.atWarn()
          .addKeyValue("schedule", run.schedule())
          .addKeyValue("task_id", run.taskId())
          .addKeyValue("due", run.dueAt().toString())
          .addKeyValue("error", e.toString())
          .log("beat.publish.failed: kept for retry");
      metrics.publishFailed(run.schedule());
      // Each failed publish once, to Sentry: the run is retried, so it is a warning in the log.
      errors.report(
          e,
          Map.of(
              "schedule", run.schedule(),
              "task_name", run.task(),
              "task_id", run.taskId(),
              "due", run.dueAt().toString()));
    } finally {
      inFlight.remove(run.taskId());
    }
  }

  /** Retries unpublished runs and deletes old ones; one replica at a time. */
  private void housekeeping(Instant now) throws Exception {
    Optional<SimpleLock> lock =
        locks.lock(
            new LockConfiguration(
                now, HOUSEKEEPING_LOCK, properties.getRetryAfter(), Duration.ZERO));
    metrics.housekeeping(lock.isPresent());
    if (lock.isEmpty()) {
      return;
    }
    try {
      Instant staleBefore = now.minus(properties.getRetryAfter());
      List<PendingRun> pending = store.unpublished(staleBefore, RETRY_BATCH);
      for (PendingRun run : pending) {
        if (!inFlight.contains(run.run().taskId()) && store.reclaim(run, staleBefore, node, now)) {
          log.atInfo()
              .addKeyValue("schedule", run.run().schedule())
              .addKeyValue("task_id", run.run().taskId())
              .addKeyValue("attempt", run.attempts() + 1)
              .log("beat.retry");
          publishLater(run.run());
        }
      }
      store.purge(now.minus(properties.getRetention()));
    } finally {
      lock.get().unlock();
    }
  }

  /** When the loop last completed a tick; null before the first. */
  public Instant lastTick() {
    return lastTick;
  }

  /** Runs handed to the publisher and not yet confirmed or failed. */
  int inFlight() {
    return inFlight.size();
  }

  public String node() {
    return node;
  }

  /**
   * Stops ticking: the tick in progress finishes (and releases the housekeeping lock it holds),
   * then the publishes it handed on wait for their confirms so their rows are marked, all within
   * {@code plinth.beat.shutdown-grace}. What is cut short stays recorded as unpublished and is
   * published again by the next scheduler to tick.
   */
  @PreDestroy
  @Override
  public void close() {
    long deadline = System.nanoTime() + properties.getShutdownGrace().toNanos();
    ticker.shutdown();
    boolean finished = false;
    try {
      // The tick may still hand runs to the publisher: it stops taking them after the tick.
      boolean ticked = ticker.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      publishing.shutdown();
      finished =
          ticked && publishing.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!finished) {
      ticker.shutdownNow();
      publishing.shutdownNow();
    }
    log.atInfo().addKeyValue("node", node).addKeyValue("drained", finished).log("beat.stopped");
  }

  private static Thread thread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
