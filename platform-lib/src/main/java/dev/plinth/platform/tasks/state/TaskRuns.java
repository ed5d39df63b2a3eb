package dev.plinth.platform.tasks.state;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.database.SqlFamily;
import dev.plinth.platform.secrets.SecretRedactor;
import dev.plinth.platform.secrets.SensitiveParameters;
import dev.plinth.platform.tasks.TaskRun;
import dev.plinth.platform.tasks.TasksConfiguration;
import dev.plinth.platform.tasks.protocol.TaskMessage;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;

/**
 * The {@code task_run} table (platform migration V1). Plain JDBC on the pool. Transitions of
 * running tasks go through {@link RunStateWriter}, which commits whatever has queued up since its
 * last commit in ONE transaction (group commit): many runs' states cost one WAL flush. A caller
 * learns its write is durable from the returned future, so a message is still acknowledged only
 * after its state committed; a failed transaction fails every write in it (those messages are
 * requeued). With {@code plinth.tasks.record-state=false} nothing is written (and redeliveries are
 * not detected). Over the house's 400 lines: every statement on {@code task_run} is here, beside
 * the others it must agree with.
 */
@Singleton
@Requires(property = PlinthProperties.TASKS_ENABLED, notEquals = "false")
public class TaskRuns {
  private static final String INSERT =
      "INSERT INTO task_run (id, task_name, status, attempts, rid, enqueued_at, started_at,"
          + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

  /**
   * A run's queued row, unpublished until the broker confirms its message (platform migration V4).
   */
  private static final String INSERT_QUEUED =
      "INSERT INTO task_run (id, task_name, status, attempts, rid, enqueued_at, started_at,"
          + " updated_at, published) VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE)";

  /**
   * PostgreSQL: a run's {@code running} write and its end as one upsert each, sent as JDBC batches
   * (one round trip per kind and group). Other databases (the embedded H2) run an UPDATE and, when
   * it misses, an INSERT per write.
   */
  private static final String UPSERT_RUNNING =
      "INSERT INTO task_run (id, task_name, status, attempts, rid, enqueued_at, started_at,"
          + " updated_at) VALUES (?, ?, ?, ?, ?, ?::timestamptz, ?::timestamptz,"
          + " ?::timestamptz) ON CONFLICT (id) DO UPDATE SET"
          + " status = 'running', attempts = EXCLUDED.attempts, started_at = EXCLUDED.started_at,"
          + " updated_at = EXCLUDED.updated_at WHERE task_run.status <> 'succeeded'";

  private static final String UPSERT_END =
      "INSERT INTO task_run (id, task_name, status, attempts, rid, enqueued_at, started_at,"
          + " updated_at, finished_at, error) VALUES (?, ?, ?, ?, ?, ?::timestamptz,"
          + " ?::timestamptz, ?::timestamptz, ?::timestamptz, ?)"
          + " ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, error = EXCLUDED.error,"
          + " finished_at = EXCLUDED.finished_at, updated_at = EXCLUDED.updated_at,"
          + " attempts = EXCLUDED.attempts, started_at = EXCLUDED.started_at";

  /** The longest error text a run row keeps. */
  private static final int STORED_ERROR_LENGTH = 4000;

  private final DataSource dataSource;
  private volatile SqlFamily family;
  private final boolean enabled;
  private final RunStateWriter writer;

  public TaskRuns(DataSource dataSource, TasksConfiguration configuration) {
    this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    this.enabled = configuration.isRecordState();
    // Starts before ends: a run's start and end in one group apply in that order.
    this.writer =
        enabled ? new RunStateWriter(this.dataSource, List.of(UPSERT_RUNNING, UPSERT_END)) : null;
  }

  public boolean enabled() {
    return enabled;
  }

  // A run that exists already is left as it is: the insert reports 0 rows.
  private String insertOrNothing(Connection c, String insert) throws SQLException {
    SqlFamily known = family;
    if (known == null) {
      known = SqlFamily.of(c);
      family = known;
    }
    return known.insertOrNothing(insert, "id");
  }

  /**
   * Runs {@code listener} on the writer thread after each group commit (or its failure), once the
   * futures of its writes completed: the worker acknowledges a group's successes there at once.
   */
  public void afterCommit(Runnable listener) {
    if (writer != null) {
      writer.afterCommit(listener);
    }
  }

  /** Records a new run as queued; false when a run with this id exists already. */
  public boolean queued(String id, String name, String rid, Instant enqueuedAt) {
    if (!enabled) {
      return true;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(insertOrNothing(c, INSERT_QUEUED))) {
      new RunRow(id, name, TaskRun.QUEUED, 0, rid, enqueuedAt, null, Instant.now()).bind(s, false);
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new TaskStateException("recording run " + id + " as queued", e);
    }
  }

  /** Records new runs as queued in one transaction (runs that exist already are left alone). */
  public void queuedAll(List<TaskMessage> messages, Instant enqueuedAt) {
    if (!enabled) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      RunStateWriter.inTransaction(
          c,
          tx -> {
            try (PreparedStatement s = tx.prepareStatement(insertOrNothing(tx, INSERT_QUEUED))) {
              for (TaskMessage m : messages) {
                new RunRow(
                        m.id(),
                        m.name(),
                        TaskRun.QUEUED,
                        0,
                        m.rid(),
                        enqueuedAt,
                        null,
                        Instant.now())
                    .bind(s, false);
                s.addBatch();
              }
              s.executeBatch();
            }
          });
    } catch (SQLException e) {
      throw new TaskStateException("recording " + messages.size() + " runs as queued", e);
    }
  }

  /** Forgets a run whose message never reached the broker. */
  public void forget(String id) {
    update("DELETE FROM task_run WHERE id = ? AND status = 'queued'", id);
  }

  /** Records that the broker confirmed the messages of runs {@code ids}. */
  public void published(List<String> ids) {
    if (!enabled || ids.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("UPDATE task_run SET published = TRUE WHERE id = ?")) {
      for (String id : ids) {
        s.setString(1, id);
        s.addBatch();
      }
      s.executeBatch();
    } catch (SQLException e) {
      throw new TaskStateException("recording " + ids.size() + " runs as published", e);
    }
  }

  /**
   * True when run {@code id} is still queued and its message was never confirmed: its enqueuer died
   * (or failed) between the row and the confirm, and whoever finds it publishes it again. A run
   * past {@code queued} was delivered, so it was on the broker.
   */
  public boolean unpublished(String id) {
    if (!enabled) {
      return false;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT 1 FROM task_run WHERE id = ? AND status = 'queued' AND published = FALSE")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new TaskStateException("reading run " + id, e);
    }
  }

  /**
   * Marks the run as running on {@code attempt}. Returns false, changing nothing, when the run has
   * already succeeded: a redelivered message that must be acknowledged without running. The check
   * is a read; the {@code running} row itself is written by the next group commit, not waited for
   * (the end of the attempt is recorded in full whether or not it landed).
   */
  public boolean started(
      String id, String name, int attempt, String rid, Instant enqueuedAt, Instant now) {
    return started(id, name, attempt, rid, enqueuedAt, now, true);
  }

  /**
   * As {@link #started(String, String, int, String, Instant, Instant)}; {@code check} false skips
   * the read (a first delivery, which cannot be a redelivery of a run that succeeded) and always
   * returns true.
   */
  public boolean started(
      String id,
      String name,
      int attempt,
      String rid,
      Instant enqueuedAt,
      Instant now,
      boolean check) {
    if (!enabled) {
      return true;
    }
    if (check) {
      try (Connection c = dataSource.getConnection()) {
        if (TaskRun.SUCCEEDED.equals(status(c, id))) {
          return false;
        }
      } catch (SQLException e) {
        throw new TaskStateException("recording run " + id + " as running", e);
      }
    }
    Instant updated = Instant.now();
    writer.submit(
        TaskRun.RUNNING,
        id,
        true,
        false,
        new RunStateWriter.Upsert(
            UPSERT_RUNNING,
            s ->
                new RunRow(id, name, TaskRun.RUNNING, attempt, rid, enqueuedAt, now, updated)
                    .bind(s, true)),
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE task_run SET status = 'running', attempts = ?, started_at = ?,"
                      + " updated_at = ? WHERE id = ? AND status <> 'succeeded'")) {
            s.setInt(1, attempt);
            s.setObject(2, RunRow.odt(now));
            s.setObject(3, RunRow.odt(now));
            s.setString(4, id);
            if (s.executeUpdate() == 1) {
              return;
            }
          }
          try (PreparedStatement s = c.prepareStatement(insertOrNothing(c, INSERT))) {
            new RunRow(id, name, TaskRun.RUNNING, attempt, rid, enqueuedAt, now, Instant.now())
                .bind(s, false);
            s.executeUpdate();
          }
        });
    return true;
  }

  /** Records the end of an attempt: succeeded, failed (retry scheduled) or dead; waits for it. */
  public void finished(String id, String status, String error, Instant now) {
    await(finishing(id, null, 0, null, null, null, status, error, now));
  }

  /**
   * Records the end of attempt {@code attempt} in the next group commit; the future completes when
   * it is durable. The row is inserted when missing, so it does not depend on the {@code running}
   * write. {@code name} may be null only when the row is known to exist.
   */
  public CompletableFuture<Void> finishing(
      String id,
      String name,
      int attempt,
      String rid,
      Instant enqueuedAt,
      Instant startedAt,
      String status,
      String error,
      Instant now) {
    if (!enabled) {
      return CompletableFuture.completedFuture(null);
    }
    String text = error == null ? null : truncate(error);
    boolean wholeRow = name != null && startedAt != null;
    // Only the whole row is an upsert; a partial end (a dead letter before any attempt, or a row
    // known to exist) keeps what the row has, as its UPDATE does.
    RunStateWriter.Upsert upsert =
        !wholeRow
            ? null
            : new RunStateWriter.Upsert(
                UPSERT_END,
                s -> {
                  new RunRow(id, name, status, attempt, rid, enqueuedAt, startedAt, now)
                      .bind(s, true);
                  RunRow.bindTimestamp(s, 9, now);
                  s.setString(10, text);
                });
    return writer.submit(
        status,
        id,
        false,
        wholeRow,
        upsert,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  wholeRow
                      ? "UPDATE task_run SET status = ?, error = ?, finished_at = ?, updated_at = ?,"
                          + " attempts = ?, started_at = ? WHERE id = ?"
                      : "UPDATE task_run SET status = ?, error = ?, finished_at = ?, updated_at = ?"
                          + " WHERE id = ?")) {
            s.setString(1, status);
            s.setString(2, text);
            s.setObject(3, RunRow.odt(now));
            s.setObject(4, RunRow.odt(now));
            if (wholeRow) {
              s.setInt(5, attempt);
              s.setObject(6, RunRow.odt(startedAt));
            }
            s.setString(wholeRow ? 7 : 5, id);
            if (s.executeUpdate() == 1 || name == null) {
              return;
            }
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO task_run (id, task_name, status, attempts, rid, enqueued_at,"
                      + " started_at, updated_at, finished_at, error)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            new RunRow(id, name, status, attempt, rid, enqueuedAt, startedAt, Instant.now())
                .bind(s, false);
            s.setObject(9, RunRow.odt(now));
            s.setString(10, text);
            s.executeUpdate();
          }
        });
  }

  /** Completes when every write submitted before this call is committed (or failed). */
  public void flush() {
    if (writer != null) {
      writer.flush();
    }
  }

  @PreDestroy
  void close() throws InterruptedException {
    if (writer != null) {
      writer.close();
    }
  }

  /** Records a message that died before any attempt (poison): a row exists for every task id. */
  public void dead(String id, String name, String rid, String error, Instant now) {
    if (!enabled) {
      return;
    }
    await(finishing(id, name, 0, rid, null, null, TaskRun.DEAD, error, now));
  }

  /** Records a run acknowledged without running, or interrupted, because it was revoked. */
  public void revoked(String id, String name, String rid, Instant now) {
    if (enabled) {
      await(finishing(id, name, 0, rid, null, null, TaskRun.REVOKED, "revoked", now));
    }
  }

  private static void await(CompletableFuture<Void> write) {
    try {
      write.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof TaskStateException state) {
        throw state;
      }
      throw e;
    }
  }

  public Optional<TaskRun> find(String id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id, task_name, status, attempts, rid, enqueued_at, started_at,"
                    + " finished_at, error FROM task_run WHERE id = ?")) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new TaskRun(
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getInt(4),
                r.getString(5),
                RunRow.instant(r, 6),
                RunRow.instant(r, 7),
                RunRow.instant(r, 8),
                r.getString(9)));
      }
    } catch (SQLException e) {
      throw new TaskStateException("reading run " + id, e);
    }
  }

  private static String status(Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT status FROM task_run WHERE id = ?")) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  private void update(String sql, String id) {
    if (!enabled) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, id);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new TaskStateException("updating run " + id, e);
    }
  }

  // An exception's text can carry a credential (a URL with its password, a token in a query):
  // what is stored is what an API caller may be shown, so secrets go before it is written.
  private static String truncate(String error) {
    return TaskRun.bounded(
        SecretRedactor.forProcess().redact(SensitiveParameters.mask(error)), STORED_ERROR_LENGTH);
  }
}
