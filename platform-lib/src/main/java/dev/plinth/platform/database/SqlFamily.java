package dev.plinth.platform.database;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The two SQL families the platform writes for ({@code DATABASE_ENGINE}): PostgreSQL's, which the
 * embedded H2 speaks in its PostgreSQL mode, and MySQL's, which MariaDB speaks. Named by what a
 * connection says it is, so that code handed a {@code DataSource} needs no configuration. Where a
 * statement differs it is built here, once for all its users; everything else is written in the SQL
 * both families share (docs/database.md, "Portable SQL").
 */
public enum SqlFamily {
  POSTGRESQL("postgresql"),
  MYSQL("mysql");

  private final String folder;

  SqlFamily(String folder) {
    this.folder = folder;
  }

  /** The family of the database {@code connection} is open on. */
  public static SqlFamily of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName();
    return product.contains("MySQL") || product.contains("MariaDB") ? MYSQL : POSTGRESQL;
  }

  /**
   * The folder of each migration set's engine-specific migrations ({@code db/mysql/plinth}, {@code
   * db/postgresql/migration}); not a suffix of the portable sets' folders, since Flyway takes a
   * location as a path prefix.
   */
  public String folder() {
    return folder;
  }

  /**
   * {@code insert} (an {@code INSERT ... VALUES (...)}) made to do nothing when a row with its key
   * exists, and to report 0 rows then: {@code ON CONFLICT DO NOTHING}, or MySQL's no-op {@code ON
   * DUPLICATE KEY UPDATE} (0 under the affected-rows count the contract's URL asks for; {@code
   * INSERT IGNORE} would also hide truncation and other errors).
   */
  public String insertOrNothing(String insert, String keyColumn) {
    return switch (this) {
      case POSTGRESQL -> insert + " ON CONFLICT DO NOTHING";
      case MYSQL -> insert + " ON DUPLICATE KEY UPDATE " + keyColumn + " = " + keyColumn;
    };
  }
}
