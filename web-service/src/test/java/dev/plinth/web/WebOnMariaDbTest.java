package dev.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.testing.MariaDbTestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

/**
 * WEB on the local MariaDB ({@code DATABASE_ENGINE=mariadb}): the example API, the migrations and
 * the heartbeat checks as on PostgreSQL, in a database created for this run and dropped after it.
 */
class WebOnMariaDbTest extends WebModeContract {
  private MariaDbTestDatabase database;

  @Override
  Map<String, String> databaseEnvironment() {
    database = MariaDbTestDatabase.create();
    return database.environment();
  }

  @Override
  void afterWebStopped() throws Exception {
    if (database == null) {
      return;
    }
    // It ran on MariaDB: both migration sets' histories and the example's tables are there.
    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet tables =
            s.executeQuery(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"
                    + " AND table_name IN ('plinth_schema_history', 'flyway_schema_history',"
                    + " 'task_run', 'beat_runs', 'shedlock', 'notes', 'hello_counter',"
                    + " 'example_export')")) {
      assertThat(tables.next()).isTrue();
      assertThat(tables.getInt(1)).isEqualTo(8);
    } finally {
      database.close();
    }
  }
}
