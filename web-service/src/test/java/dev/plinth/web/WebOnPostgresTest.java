package dev.plinth.web;

import dev.plinth.platform.testing.PostgresScratchDatabase;
import java.util.Map;

/** WEB on the local PostgreSQL, in a database created for this run and dropped after it. */
class WebOnPostgresTest extends WebModeContract {
  private PostgresScratchDatabase database;

  @Override
  Map<String, String> databaseEnvironment() {
    database = PostgresScratchDatabase.create();
    return database.contractEnvironment();
  }

  @Override
  void afterWebStopped() {
    if (database != null) {
      database.close();
    }
  }
}
