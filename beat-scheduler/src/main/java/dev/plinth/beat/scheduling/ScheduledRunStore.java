package dev.plinth.beat.scheduling;

import dev.plinth.platform.database.SqlFamily;
import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The {@code beat_runs} table: one row per (schedule, due time), inserted once. Plain JDBC with
 * auto-commit: each statement stands alone, and the same SQL runs on PostgreSQL and H2.
 */
@Singleton
@Requires(beans = DataSource.class)
public class ScheduledRunStore {
  private final DataSource dataSource;

  /** On a plain data source (tests). */
  public ScheduledRunStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * On the service's data source, unwrapped: Micronaut Data's contextual proxy hands out
   * connections only inside its transactions, and this store commits each statement itself.
   */
  @Inject
  public ScheduledRunStore(DataSource dataSource, DataSourceResolver resolver) {
    this(resolver.resolve(dataSource));
  }

  /** The latest recorded due time of each schedule: where the scheduler carries on. */
  public Map<String, Instant> lastDueTimes() throws SQLException {
    Map<String, Instant> last = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT schedule_name, MAX(due_at) FROM beat_runs GROUP BY schedule_name");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        last.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
      }
    }
    return last;
  }

  /**
   * Records a run as this node's. True for exactly one caller per (schedule, due time), whatever
   * the number of replicas: the primary key decides, in the database.
   */
  public boolean claim(DueRun run, boolean skipped, String node, Instant now) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                SqlFamily.of(c)
                    .insertOrNothing(
                        "INSERT INTO beat_runs (schedule_name, due_at, task_name, task_id, payload,"
                            + " queue_name, skipped, claimed_by, claimed_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        "schedule_name"))) {
      s.setString(1, run.schedule());
      s.setObject(2, utc(run.dueAt()));
      s.setString(3, run.task());
      s.setString(4, run.taskId());
      s.setString(5, run.payload());
      s.setString(6, run.queue());
      s.setBoolean(7, skipped);
      s.setString(8, node);
      s.setObject(9, utc(now));
      return s.executeUpdate() == 1;
    }
  }

  public void markPublished(DueRun run, Instant at) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE beat_runs SET published_at = ? WHERE schedule_name = ? AND due_at = ?")) {
      s.setObject(1, utc(at));
      s.setString(2, run.schedule());
      s.setObject(3, utc(run.dueAt()));
      s.executeUpdate();
    }
  }

  /** Runs claimed before {@code claimedBefore} and still not published, oldest first. */
  public List<PendingRun> unpublished(Instant claimedBefore, int limit) throws SQLException {
    List<PendingRun> pending = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT schedule_name, task_name, payload, queue_name, due_at, task_id, attempts"
                    + " FROM beat_runs"
                    + " WHERE published_at IS NULL AND skipped = FALSE AND claimed_at < ?"
                    + " ORDER BY due_at LIMIT ?")) {
      s.setObject(1, utc(claimedBefore));
      s.setInt(2, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          pending.add(
              new PendingRun(
                  new DueRun(
                      rs.getString(1),
                      rs.getString(2),
                      rs.getString(3),
                      rs.getString(4),
                      rs.getObject(5, OffsetDateTime.class).toInstant(),
                      rs.getString(6)),
                  rs.getInt(7)));
        }
      }
    }
    return pending;
  }

  /**
   * Takes over a run whose claimant has not published it (died, or the broker was down). True for
   * one caller only: the update matches only while the old claim is still stale.
   */
  public boolean reclaim(PendingRun run, Instant claimedBefore, String node, Instant now)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE beat_runs SET claimed_by = ?, claimed_at = ?, attempts = attempts + 1"
                    + " WHERE schedule_name = ? AND due_at = ? AND published_at IS NULL"
                    + " AND claimed_at < ?")) {
      s.setString(1, node);
      s.setObject(2, utc(now));
      s.setString(3, run.run().schedule());
      s.setObject(4, utc(run.run().dueAt()));
      s.setObject(5, utc(claimedBefore));
      return s.executeUpdate() == 1;
    }
  }

  /** How many claimed runs have waited longer than {@code claimedBefore} for the broker. */
  public int countUnpublished(Instant claimedBefore) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT COUNT(*) FROM beat_runs WHERE published_at IS NULL AND skipped = FALSE"
                    + " AND claimed_at < ?")) {
      s.setObject(1, utc(claimedBefore));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * Deletes finished rows due before {@code before}, keeping each schedule's latest row (the
   * restart point).
   */
  public int purge(Instant before) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                // The latest rows through a derived table: MySQL refuses a subquery on the table
                // a DELETE deletes from, and a materialised one is the portable way round.
                "DELETE FROM beat_runs WHERE due_at < ?"
                    + " AND (published_at IS NOT NULL OR skipped = TRUE)"
                    + " AND due_at < (SELECT latest.due_at FROM (SELECT schedule_name,"
                    + " MAX(due_at) AS due_at FROM beat_runs GROUP BY schedule_name) latest"
                    + " WHERE latest.schedule_name = beat_runs.schedule_name)")) {
      s.setObject(1, utc(before));
      return s.executeUpdate();
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /** A claimed run that has not been confirmed by the broker. */
  public record PendingRun(DueRun run, int attempts) {}
}
