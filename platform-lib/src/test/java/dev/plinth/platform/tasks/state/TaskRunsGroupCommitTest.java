package dev.plinth.platform.tasks.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.tasks.TaskRun;
import dev.plinth.platform.tasks.TasksConfiguration;
import dev.plinth.platform.testing.PostgresTestDatabase;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The run-state group commit on the local PostgreSQL: writes from concurrent handlers share one
 * transaction, a write is reported durable only after its transaction committed, and a transaction
 * that fails fails every write in it (their messages stay unacknowledged).
 */
class TaskRunsGroupCommitTest {
  static PostgresTestDatabase db;
  static TaskRuns runs;

  @BeforeAll
  static void start() throws Exception {
    db = PostgresTestDatabase.create();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        InputStream sql =
            TaskRuns.class.getResourceAsStream("/db/postgresql/plinth/V1__task_runs.sql")) {
      s.execute(new String(sql.readAllBytes(), StandardCharsets.UTF_8));
    }
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(db.jdbcUrl());
    dataSource.setUser(PostgresTestDatabase.USER);
    runs = new TaskRuns(dataSource, new TasksConfiguration());
  }

  @AfterAll
  static void stop() throws Exception {
    if (runs != null) {
      runs.close();
    }
    if (db != null) {
      db.close();
    }
  }

  private static CompletableFuture<Void> succeed(String id) {
    Instant now = Instant.now();
    return runs.finishing(id, "test.noop", 1, null, now, now, TaskRun.SUCCEEDED, null, now);
  }

  @Test
  void concurrentWritesWaitingBehindACommitLandInOneTransaction() throws Exception {
    String blocker = "gc-blocker";
    succeed(blocker).join();
    List<CompletableFuture<Void>> waiting = new ArrayList<>();
    ExecutorService handlers = Executors.newFixedThreadPool(8);
    try (Connection locker = db.connect()) {
      // Hold the blocker's row: the writer's next transaction waits on it.
      lock(locker, blocker);
      CompletableFuture<Void> first = succeed(blocker);
      awaitWriterBlocked();
      List<CompletableFuture<CompletableFuture<Void>>> submitted = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        String id = "gc-" + i;
        submitted.add(CompletableFuture.supplyAsync(() -> succeed(id), handlers));
      }
      for (CompletableFuture<CompletableFuture<Void>> s : submitted) {
        waiting.add(s.join());
      }
      // Nothing is reported durable while its transaction has not committed.
      assertThat(first).isNotDone();
      assertThat(waiting).noneMatch(CompletableFuture::isDone);
      assertThat(count("SELECT count(*) FROM task_run WHERE id LIKE 'gc-%' AND id <> 'gc-blocker'"))
          .isZero();
      locker.commit();
      first.join();
    } finally {
      handlers.shutdown();
    }
    CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).join();

    assertThat(
            count(
                "SELECT count(*) FROM task_run WHERE id LIKE 'gc-%' AND id <> 'gc-blocker'"
                    + " AND status = 'succeeded'"))
        .isEqualTo(64);
    // All 64 queued up behind the blocked commit: the next transaction took them all.
    assertThat(
            count(
                "SELECT count(DISTINCT xmin::text) FROM task_run"
                    + " WHERE id LIKE 'gc-%' AND id <> 'gc-blocker'"))
        .isEqualTo(1);
  }

  @Test
  void aFailedTransactionFailsEveryWriteInItAndRecordsNone() throws Exception {
    succeed("fail-a").join();
    succeed("fail-b").join();
    CompletableFuture<Void> x;
    CompletableFuture<Void> y;
    CompletableFuture<Void> b;
    try (Connection lockerA = db.connect();
        Connection lockerB = db.connect()) {
      lock(lockerA, "fail-a");
      CompletableFuture<Void> a = succeed("fail-a");
      awaitWriterBlocked();
      // Queued while the writer waits: the next transaction is x, y, then b (which will block).
      lock(lockerB, "fail-b");
      x = succeed("fail-x");
      y = succeed("fail-y");
      b = succeed("fail-b");
      lockerA.commit();
      a.join();
      awaitWriterBlocked();
      assertThat(x).isNotDone();
      // The database goes away under the writer mid-transaction.
      try (Statement s = lockerB.createStatement()) {
        s.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname ="
                + " current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'");
      }
      lockerB.rollback();
    }

    for (CompletableFuture<Void> write : List.of(x, y, b)) {
      assertThatThrownBy(write::join).hasCauseInstanceOf(TaskStateException.class);
    }
    assertThat(count("SELECT count(*) FROM task_run WHERE id IN ('fail-x', 'fail-y')")).isZero();
    // The writer carries on after a failed transaction.
    succeed("fail-after").join();
    assertThat(count("SELECT count(*) FROM task_run WHERE id = 'fail-after'")).isEqualTo(1);
  }

  @Test
  void aRunThatStartsAndEndsInOneGroupIsRecordedInFull() throws Exception {
    succeed("whole-blocker").join();
    Instant enqueued = Instant.parse("2026-01-01T00:00:00Z");
    Instant started = Instant.parse("2026-01-01T00:00:05Z");
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO task_run (id, task_name, status, attempts, updated_at)"
              + " VALUES ('whole-queued', 'test.noop', 'queued', 0, now())");
    }
    CompletableFuture<Void> queuedEnd;
    CompletableFuture<Void> freshEnd;
    try (Connection locker = db.connect()) {
      lock(locker, "whole-blocker");
      CompletableFuture<Void> blocked = succeed("whole-blocker");
      awaitWriterBlocked();
      // Both transitions of each run queue up behind the blocked commit: one group.
      assertThat(runs.started("whole-queued", "test.noop", 2, null, enqueued, started)).isTrue();
      queuedEnd =
          runs.finishing(
              "whole-queued",
              "test.noop",
              2,
              null,
              enqueued,
              started,
              TaskRun.SUCCEEDED,
              null,
              started.plusSeconds(1));
      assertThat(runs.started("whole-fresh", "test.noop", 1, "r-1", enqueued, started)).isTrue();
      freshEnd =
          runs.finishing(
              "whole-fresh",
              "test.noop",
              1,
              "r-1",
              enqueued,
              started,
              TaskRun.DEAD,
              "boom",
              started.plusSeconds(1));
      assertThat(runs.started("whole-running", "test.noop", 1, null, enqueued, started)).isTrue();
      locker.commit();
      blocked.join();
    }
    queuedEnd.join();
    freshEnd.join();
    runs.flush();

    TaskRun queued = runs.find("whole-queued").orElseThrow();
    assertThat(queued.status()).isEqualTo(TaskRun.SUCCEEDED);
    assertThat(queued.attempts()).isEqualTo(2);
    assertThat(queued.startedAt()).isEqualTo(started);
    TaskRun fresh = runs.find("whole-fresh").orElseThrow();
    assertThat(fresh.status()).isEqualTo(TaskRun.DEAD);
    assertThat(fresh.error()).isEqualTo("boom");
    assertThat(fresh.rid()).isEqualTo("r-1");
    assertThat(fresh.startedAt()).isEqualTo(started);
    assertThat(fresh.enqueuedAt()).isEqualTo(enqueued);
    // A start with no end in its group is written.
    TaskRun running = runs.find("whole-running").orElseThrow();
    assertThat(running.status()).isEqualTo(TaskRun.RUNNING);
    assertThat(running.startedAt()).isEqualTo(started);
  }

  private static void lock(Connection locker, String id) throws Exception {
    locker.setAutoCommit(false);
    try (Statement s = locker.createStatement()) {
      s.execute("SELECT 1 FROM task_run WHERE id = '" + id + "' FOR UPDATE");
    }
  }

  private static void awaitWriterBlocked() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                count(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND wait_event_type = 'Lock'")
                    == 1);
  }

  private static long count(String sql) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void timestampsBoundAsTextAreWhatPgJdbcWouldHaveStored() throws Exception {
    List<Instant> instants = new ArrayList<>();
    instants.add(Instant.parse("2026-11-23T22:19:03.123456Z"));
    instants.add(Instant.parse("2026-12-31T23:59:59.999999500Z")); // rounds into the next year
    instants.add(Instant.parse("2026-11-23T22:19:03.000000499Z"));
    instants.add(Instant.parse("1969-12-31T23:59:59.999999Z"));
    instants.add(Instant.parse("0001-01-01T00:00:00Z"));
    instants.add(Instant.parse("9999-12-31T23:59:59.999999Z"));
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 2000; i++) {
      instants.add(
          Instant.ofEpochSecond(random.nextLong(-60_000_000_000L, 250_000_000_000L))
              .plusNanos(random.nextInt(1_000_000_000)));
    }
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement("SELECT ?::timestamptz = ?::timestamptz, ?::timestamptz::text")) {
      for (Instant instant : instants) {
        String text = RunRow.pgTimestamp(instant);
        assertThat(text).as(instant.toString()).isNotNull();
        s.setObject(1, instant.atOffset(ZoneOffset.UTC));
        s.setString(2, text);
        s.setString(3, text);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          assertThat(r.getBoolean(1)).as(instant + " as " + text + " = " + r.getString(2)).isTrue();
        }
      }
    }
    assertThat(RunRow.pgTimestamp(Instant.parse("2026-12-31T23:59:59.999999500Z")))
        .isEqualTo("2027-01-01 00:00:00.000000+00");
    assertThat(RunRow.pgTimestamp(Instant.parse("+10000-01-01T00:00:00Z"))).isNull();
  }
}
