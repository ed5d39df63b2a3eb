package dev.plinth.web;

import dev.plinth.platform.testing.PostgresTestDatabase;
import java.util.Map;

/** WEB on the local PostgreSQL, in a database created for this run and dropped after it. */
class WebOnPostgresTest extends WebModeContract {
  private PostgresTestDatabase database;

  @Override
  Map<String, String> databaseEnvironment() {
    database = PostgresTestDatabase.create();
    return database.environment();
  }

  @Override
  void afterWebStopped() {
    if (database != null) {
      database.close();
    }
  }
}
