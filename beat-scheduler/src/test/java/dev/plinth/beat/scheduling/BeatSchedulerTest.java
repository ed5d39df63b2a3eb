package dev.plinth.beat.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.database.PlatformMigrations;
import dev.plinth.platform.sentry.ErrorReporter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbc.JdbcLockProvider;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler's decisions, on H2 with the real migrations and a clock the test moves. */
class BeatSchedulerTest {
  private final MovableClock clock = new MovableClock(Instant.parse("2026-03-28T00:00:00Z"));
  private final List<DueRun> published = new CopyOnWriteArrayList<>();
  private final AtomicBoolean brokerDown = new AtomicBoolean();
  private final List<BeatScheduler> schedulers = new CopyOnWriteArrayList<>();
  private JdbcDataSource dataSource;
  private ScheduledRunStore store;

  @BeforeEach
  void database() {
    dataSource = new JdbcDataSource();
    dataSource.setURL(
        "jdbc:h2:mem:beat-"
            + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
    PlatformMigrations.flyway(Flyway.configure().dataSource(dataSource)).migrate();
    store = new ScheduledRunStore(dataSource);
  }

  @AfterEach
  void stop() {
    schedulers.forEach(BeatScheduler::close);
  }

  private BeatScheduler scheduler(Schedule... schedules) {
    return scheduler(new JdbcLockProvider(dataSource, "shedlock"), schedules);
  }

  private BeatScheduler scheduler(LockProvider locks, Schedule... schedules) {
    BeatConfiguration properties = new BeatConfiguration();
    properties.setEnabled(true);
    // Shorter than the 30 s default, so the outage test retries within its 20 s of clock.
    properties.setRetryAfter(Duration.ofSeconds(10));
    BeatScheduler scheduler =
        new BeatScheduler(
            new ScheduleRegistry(List.of(), List.of(schedules)),
            store,
            run -> {
              if (brokerDown.get()) {
                throw new IllegalStateException("broker unreachable");
              }
              published.add(run);
            },
            locks,
            clock,
            properties,
            ErrorReporter.NONE,
            BeatMetrics.NONE);
    schedulers.add(scheduler);
    return scheduler;
  }

  private void advanceAndTick(Duration step, Duration total, BeatScheduler... replicas)
      throws Exception {
    for (Duration done = Duration.ZERO; done.compareTo(total) < 0; done = done.plus(step)) {
      clock.advance(step);
      for (BeatScheduler replica : replicas) {
        replica.tick();
      }
      // The test's clock outruns real time: let publishes finish before time moves on.
      await()
          .pollInSameThread()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1))
          .until(() -> schedulers.stream().allMatch(s -> s.inFlight() == 0));
    }
  }

  private void awaitPublished(int count) {
    await().atMost(Duration.ofSeconds(10)).until(() -> published.size() >= count);
  }

  @Test
  void aCronScheduleAcrossBothDaylightSavingChangesRunsOnceADayOnTheLocalClock() throws Exception {
    BeatScheduler beat =
        scheduler(Schedule.cron("nightly", "example.cleanup", "30 1 * * *", LONDON));
    // From 28 March to 31 March: 29 March has no 01:30 in London.
    advanceAndTick(Duration.ofMinutes(15), Duration.ofDays(3), beat);
    awaitPublished(3);
    assertThat(published)
        .extracting(DueRun::dueAt)
        .containsExactly(
            Instant.parse("2026-03-28T01:30:00Z"),
            Instant.parse("2026-03-29T01:00:00Z"),
            Instant.parse("2026-03-30T00:30:00Z"));
  }

  @Test
  void aCronScheduleAcrossTheAutumnChangeRunsOnceInTheRepeatedHour() throws Exception {
    // 25 October: 01:30 happens twice in London; it fires once.
    clock.set(Instant.parse("2026-10-24T12:00:00Z"));
    BeatScheduler beat =
        scheduler(Schedule.cron("nightly", "example.cleanup", "30 1 * * *", LONDON));
    advanceAndTick(Duration.ofMinutes(15), Duration.ofDays(2), beat);
    awaitPublished(2);
    assertThat(published)
        .extracting(DueRun::dueAt)
        .containsExactly(
            Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-26T01:30:00Z"));
  }

  @Test
  void replicasSharingTheDatabasePublishEachDueRunOnce() throws Exception {
    Schedule everySecond = Schedule.every("tick", "example.tick", Duration.ofSeconds(1));
    BeatScheduler a = scheduler(everySecond);
    BeatScheduler b = scheduler(everySecond);
    BeatScheduler c = scheduler(everySecond);
    advanceAndTick(Duration.ofMillis(500), Duration.ofSeconds(20), a, b, c);
    awaitPublished(20);
    assertThat(published).extracting(DueRun::dueAt).doesNotHaveDuplicates().hasSize(20);
  }

  @Test
  void aRestartCarriesOnWithoutRefiringAndRunsOnceAfterDowntime() throws Exception {
    Schedule everyMinute = Schedule.every("minutely", "example.tick", Duration.ofMinutes(1));
    BeatScheduler first = scheduler(everyMinute);
    advanceAndTick(Duration.ofSeconds(30), Duration.ofMinutes(3), first);
    awaitPublished(3);
    first.close();

    // Down for an hour; the new process publishes one run for the missed hour, not sixty.
    clock.advance(Duration.ofHours(1));
    BeatScheduler second = scheduler(everyMinute);
    second.tick();
    advanceAndTick(Duration.ofSeconds(30), Duration.ofMinutes(2), second);
    awaitPublished(6);
    assertThat(published)
        .extracting(DueRun::dueAt)
        .containsExactly(
            Instant.parse("2026-03-28T00:01:00Z"),
            Instant.parse("2026-03-28T00:02:00Z"),
            Instant.parse("2026-03-28T00:03:00Z"),
            Instant.parse("2026-03-28T01:03:00Z"),
            Instant.parse("2026-03-28T01:04:00Z"),
            Instant.parse("2026-03-28T01:05:00Z"));
  }

  @Test
  void theSkipPolicyPublishesNothingForTheDowntime() throws Exception {
    Schedule everyMinute =
        Schedule.every("minutely", "example.tick", Duration.ofMinutes(1))
            .withMisfire(MisfirePolicy.SKIP);
    BeatScheduler first = scheduler(everyMinute);
    advanceAndTick(Duration.ofSeconds(30), Duration.ofMinutes(1), first);
    awaitPublished(1);
    first.close();

    clock.advance(Duration.ofHours(1));
    BeatScheduler second = scheduler(everyMinute);
    advanceAndTick(Duration.ofSeconds(30), Duration.ofMinutes(1), second);
    awaitPublished(2);
    assertThat(published)
        .extracting(DueRun::dueAt)
        .containsExactly(
            Instant.parse("2026-03-28T00:01:00Z"), Instant.parse("2026-03-28T01:02:00Z"));
  }

  @Test
  void aBrokerOutageDelaysARunWithoutLosingIt() throws Exception {
    BeatScheduler beat = scheduler(Schedule.every("tick", "example.tick", Duration.ofSeconds(5)));
    brokerDown.set(true);
    advanceAndTick(Duration.ofSeconds(1), Duration.ofSeconds(5), beat);
    await().until(() -> store.countUnpublished(clock.instant().plusSeconds(1)) == 1);
    assertThat(published).isEmpty();

    brokerDown.set(false);
    advanceAndTick(Duration.ofSeconds(1), Duration.ofSeconds(20), beat);
    awaitPublished(5);
    assertThat(published)
        .extracting(DueRun::dueAt)
        .doesNotHaveDuplicates()
        .contains(Instant.parse("2026-03-28T00:00:05Z"));
    await().until(() -> store.countUnpublished(clock.instant().plusSeconds(1)) == 0);
  }

  @Test
  void stoppingLetsTheTickInProgressFinishAndReleaseItsLockAndStartsNoOther() throws Exception {
    CountDownLatch inHousekeeping = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger locked = new AtomicInteger();
    AtomicBoolean unlocked = new AtomicBoolean();
    LockProvider database = new JdbcLockProvider(dataSource, "shedlock");
    LockProvider slow =
        configuration -> {
          locked.incrementAndGet();
          Optional<SimpleLock> lock = database.lock(configuration);
          inHousekeeping.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException("the tick was interrupted, not left to finish", e);
          }
          return lock.map(
              held ->
                  () -> {
                    held.unlock();
                    unlocked.set(true);
                  });
        };
    BeatScheduler beat =
        scheduler(slow, Schedule.every("tick", "example.tick", Duration.ofSeconds(1)));
    beat.start();
    assertThat(inHousekeeping.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> stopping = CompletableFuture.runAsync(beat::close);
    // close waits for the tick in progress, however long it takes.
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !stopping.isDone());
    release.countDown();
    stopping.get(10, TimeUnit.SECONDS);

    assertThat(unlocked).as("the housekeeping lock was released").isTrue();
    assertThat(beat.lastTick()).as("the tick completed").isNotNull();
    clock.advance(Duration.ofMinutes(1));
    // No tick after the stop: a whole tick interval and more passes with the lock taken once.
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> locked.get() == 1);
  }

  private static final ZoneId LONDON = ZoneId.of("Europe/London");

  /** A clock the test moves by hand. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    void set(Instant at) {
      now = at;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
