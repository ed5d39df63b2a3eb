package dev.plinth.web;

import java.util.Map;

/** WEB on the embedded default: an H2 file database under a temporary APP_DATA_DIR. */
class WebOnEmbeddedDatabaseTest extends WebModeContract {
  @Override
  Map<String, String> databaseEnvironment() {
    return Map.of();
  }
}
