package dev.plinth.platform.tasks.state;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.database.SqlFamily;
import dev.plinth.platform.tasks.TasksConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The run-state store's count of a chord's header (platform migration V6, docs/tasks.md,
 * "Workflows"): each part's result is kept once, whichever worker ran it and however often its
 * message was delivered, and exactly one part learns that it completed the count, so exactly one
 * message publishes the body. The count's row is locked by each part's transaction, so two parts
 * finishing at once cannot both see the other's result missing (nor both see the count complete).
 */
@Singleton
@Requires(property = PlinthProperties.TASKS_ENABLED, notEquals = "false")
public class ChordParts {
  private static final String INSERT_CHORD =
      "INSERT INTO task_chord (group_id, header_size, done, body_published, failed, created_at)"
          + " VALUES (?, ?, 0, FALSE, FALSE, ?)";

  private static final String INSERT_PART =
      "INSERT INTO task_chord_part (group_id, part, result) VALUES (?, ?, ?)";

  // completed_by first: MySQL assigns left to right, seeing the new done in later assignments.
  private static final String COUNT_PART =
      "UPDATE task_chord SET completed_by = CASE WHEN done + 1 = header_size THEN ? ELSE"
          + " completed_by END, done = done + 1 WHERE group_id = ?";

  private final DataSource dataSource;
  private final boolean enabled;

  public ChordParts(DataSource dataSource, TasksConfiguration configuration) {
    this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    this.enabled = configuration.isRecordState();
  }

  /** False with {@code plinth.tasks.record-state=false}: nothing can count a chord then. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Records that part {@code part} of chord {@code groupId} ({@code size} parts) succeeded with
   * {@code resultJson}. Returns every part's result in order when this part's run is the one that
   * completed the count and the body is not published yet: the caller publishes the body, then
   * calls {@link #bodyPublished}. Returns empty otherwise (parts missing, another part completed
   * it, the body is out, or a part failed). A redelivery of the completing part returns the results
   * again until the body is marked published: its first delivery's worker is gone.
   */
  public Optional<List<String>> partSucceeded(
      String groupId, int part, int size, String resultJson) {
    List<String> results = new ArrayList<>();
    boolean[] publish = {false};
    try (Connection c = dataSource.getConnection()) {
      SqlFamily family = SqlFamily.of(c);
      RunStateWriter.inTransaction(
          c,
          tx -> {
            insertChord(tx, family, groupId, size);
            boolean counted;
            try (PreparedStatement s =
                tx.prepareStatement(family.insertOrNothing(INSERT_PART, "part"))) {
              s.setString(1, groupId);
              s.setInt(2, part);
              s.setString(3, resultJson);
              counted = s.executeUpdate() == 1;
            }
            if (counted) {
              try (PreparedStatement s = tx.prepareStatement(COUNT_PART)) {
                s.setInt(1, part);
                s.setString(2, groupId);
                s.executeUpdate();
              }
            }
            try (PreparedStatement s =
                tx.prepareStatement(
                    "SELECT done, header_size, completed_by, body_published, failed FROM"
                        + " task_chord WHERE group_id = ? FOR UPDATE")) {
              s.setString(1, groupId);
              try (ResultSet r = s.executeQuery()) {
                r.next();
                publish[0] =
                    r.getInt(1) == r.getInt(2)
                        && r.getInt(3) == part
                        && !r.wasNull()
                        && !r.getBoolean(4)
                        && !r.getBoolean(5);
              }
            }
            if (publish[0]) {
              try (PreparedStatement s =
                  tx.prepareStatement(
                      "SELECT result FROM task_chord_part WHERE group_id = ? ORDER BY part")) {
                s.setString(1, groupId);
                try (ResultSet r = s.executeQuery()) {
                  while (r.next()) {
                    results.add(r.getString(1));
                  }
                }
              }
            }
          });
    } catch (SQLException e) {
      throw new TaskStateException("counting part " + part + " of chord " + groupId, e);
    }
    return publish[0] ? Optional.of(results) : Optional.empty();
  }

  /** Records that the body of chord {@code groupId} is on the broker (confirmed). */
  public void bodyPublished(String groupId) {
    update("UPDATE task_chord SET body_published = TRUE WHERE group_id = ?", groupId);
  }

  /**
   * Records that a part of chord {@code groupId} failed for good, so the body never runs; true for
   * the first such failure (the body's callers are told once).
   */
  public boolean partFailed(String groupId, int size) {
    try (Connection c = dataSource.getConnection()) {
      SqlFamily family = SqlFamily.of(c);
      boolean[] first = {false};
      RunStateWriter.inTransaction(
          c,
          tx -> {
            insertChord(tx, family, groupId, size);
            try (PreparedStatement s =
                tx.prepareStatement(
                    "UPDATE task_chord SET failed = TRUE WHERE group_id = ? AND failed = FALSE")) {
              s.setString(1, groupId);
              first[0] = s.executeUpdate() == 1;
            }
          });
      return first[0];
    } catch (SQLException e) {
      throw new TaskStateException("recording a failed part of chord " + groupId, e);
    }
  }

  // The first part to finish creates the count: no producer has to write it before publishing.
  private static void insertChord(Connection tx, SqlFamily family, String groupId, int size)
      throws SQLException {
    try (PreparedStatement s =
        tx.prepareStatement(family.insertOrNothing(INSERT_CHORD, "group_id"))) {
      s.setString(1, groupId);
      s.setInt(2, size);
      s.setObject(3, RunRow.odt(Instant.now()));
      s.executeUpdate();
    }
  }

  private void update(String sql, String groupId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, groupId);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new TaskStateException("updating chord " + groupId, e);
    }
  }
}
