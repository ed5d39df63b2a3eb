package dev.plinth.example.export;

import dev.plinth.platform.database.SqlFamily;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Export files by run id, in the example's own table ({@code example_export}, migration V3): a
 * domain table beside the platform's run state. Saving twice keeps the first file, so a redelivered
 * export task is harmless.
 */
@Singleton
public class ExportFiles {
  /** A stored export. */
  public record ExportFile(String contentType, String content) {}

  private final DataSource dataSource;

  public ExportFiles(DataSource dataSource) {
    this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
  }

  public void save(String runId, String contentType, String content) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                SqlFamily.of(c)
                    .insertOrNothing(
                        "INSERT INTO example_export (run_id, content_type, content, created_at)"
                            + " VALUES (?, ?, ?, ?)",
                        "run_id"))) {
      s.setString(1, runId);
      s.setString(2, contentType);
      s.setString(3, content);
      s.setObject(4, Instant.now().atOffset(ZoneOffset.UTC));
      s.executeUpdate();
    }
  }

  public Optional<ExportFile> find(String runId) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT content_type, content FROM example_export WHERE run_id = ?")) {
      s.setString(1, runId);
      try (ResultSet r = s.executeQuery()) {
        return r.next()
            ? Optional.of(new ExportFile(r.getString(1), r.getString(2)))
            : Optional.empty();
      }
    }
  }
}
