package dev.plinth.platform.tasks;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code task_run} table (V10). Plain JDBC on the pool, one auto-committed statement per
 * transition: a run's state is written before its message is acknowledged, never after. With {@code
 * plinth.tasks.record-state=false} nothing is written (and redeliveries are not detected).
 */
@Singleton
@Requires(property = "plinth.tasks.enabled", notEquals = "false")
public class TaskRuns {
  private static final String INSERT =
      "INSERT INTO task_run (id, task_name, status, attempts, rid, enqueued_at, started_at,"
          + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

  private final DataSource dataSource;
  private final boolean enabled;

  public TaskRuns(DataSource dataSource, TasksConfiguration configuration) {
    this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    this.enabled = configuration.isRecordState();
  }

  public boolean enabled() {
    return enabled;
  }

  /** Records a new run as queued; false when a run with this id exists already. */
  public boolean queued(String id, String name, String rid, Instant enqueuedAt) {
    if (!enabled) {
      return true;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(INSERT)) {
      bindInsert(s, id, name, TaskRun.QUEUED, 0, rid, enqueuedAt, null);
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new TaskStateException("recording run " + id + " as queued", e);
    }
  }

  /** Forgets a run whose message never reached the broker. */
  public void forget(String id) {
    update("DELETE FROM task_run WHERE id = ? AND status = 'queued'", id);
  }

  /**
   * Marks the run as running on {@code attempt}. Returns false, changing nothing, when the run has
   * already succeeded: a redelivered message that must be acknowledged without running.
   */
  public boolean started(
      String id, String name, int attempt, String rid, Instant enqueuedAt, Instant now) {
    if (!enabled) {
      return true;
    }
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE task_run SET status = 'running', attempts = ?, started_at = ?,"
                  + " updated_at = ? WHERE id = ? AND status <> 'succeeded'")) {
        s.setInt(1, attempt);
        s.setObject(2, odt(now));
        s.setObject(3, odt(now));
        s.setString(4, id);
        if (s.executeUpdate() == 1) {
          return true;
        }
      }
      try (PreparedStatement s = c.prepareStatement(INSERT)) {
        bindInsert(s, id, name, TaskRun.RUNNING, attempt, rid, enqueuedAt, now);
        if (s.executeUpdate() == 1) {
          return true;
        }
      }
      // Neither updated nor inserted: the row exists and has succeeded (or a race inserted it).
      return !TaskRun.SUCCEEDED.equals(status(c, id));
    } catch (SQLException e) {
      throw new TaskStateException("recording run " + id + " as running", e);
    }
  }

  /** Records the end of an attempt: succeeded, failed (retry scheduled) or dead. */
  public void finished(String id, String status, String error, Instant now) {
    if (!enabled) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE task_run SET status = ?, error = ?, finished_at = ?, updated_at = ?"
                    + " WHERE id = ?")) {
      s.setString(1, status);
      s.setString(2, error == null ? null : truncate(error));
      s.setObject(3, odt(now));
      s.setObject(4, odt(now));
      s.setString(5, id);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new TaskStateException("recording run " + id + " as " + status, e);
    }
  }

  /** Records a message that died before any attempt (poison): a row exists for every task id. */
  public void dead(String id, String name, String rid, String error, Instant now) {
    if (!enabled) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(INSERT)) {
      bindInsert(s, id, name, TaskRun.DEAD, 0, rid, null, null);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new TaskStateException("recording run " + id + " as dead", e);
    }
    finished(id, TaskRun.DEAD, error, now);
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
                instant(r, 6),
                instant(r, 7),
                instant(r, 8),
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

  private static void bindInsert(
      PreparedStatement s,
      String id,
      String name,
      String status,
      int attempts,
      String rid,
      Instant enqueuedAt,
      Instant startedAt)
      throws SQLException {
    s.setString(1, id);
    s.setString(2, name);
    s.setString(3, status);
    s.setInt(4, attempts);
    s.setString(5, rid);
    s.setObject(6, odt(enqueuedAt));
    s.setObject(7, odt(startedAt));
    s.setObject(8, odt(Instant.now()));
  }

  private static OffsetDateTime odt(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet r, int column) throws SQLException {
    OffsetDateTime value = r.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static String truncate(String error) {
    return error.length() <= 4000 ? error : error.substring(0, 3997) + "...";
  }

  /** The run-state table could not be written: the message stays unacknowledged. */
  public static final class TaskStateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TaskStateException(String what, SQLException cause) {
      super(what + ": " + cause.getMessage(), cause);
    }
  }
}
