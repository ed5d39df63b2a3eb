package dev.plinth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.PlatformTestApplication;
import dev.plinth.platform.testing.PostgresTestDatabase;
import dev.plinth.platform.testing.TestModes;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app starts on a fresh PostgreSQL database, migrates it, and its heartbeat reports the
 * database and the migrations; tampering with Flyway's history shows as pending or failed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseChecksPostgresTest {
  private PostgresTestDatabase database;
  private InProcessMode web;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    database = PostgresTestDatabase.create();
    Map<String, String> env = InProcessMode.localEnvironment(dataDir);
    env.putAll(database.environment());
    web =
        InProcessMode.start(
            TestModes.WEB,
            PlatformTestApplication.class,
            env,
            Map.of(
                "flyway.datasources.default.properties.flyway.callbacks",
                CountingInfoCallback.class.getName()));
  }

  @AfterAll
  void stop() {
    try {
      if (web != null) {
        web.close();
      }
    } finally {
      if (database != null) {
        database.close();
      }
    }
  }

  @Test
  void startsOnPostgresqlWithMigrationsAppliedAndAHealthyHeartbeat() throws Exception {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        var rows = statement.executeQuery("SELECT count(*) FROM task_run")) {
      assertThat(rows.next()).isTrue();
    }

    HttpResponse<String> response = web.get("/__heartbeat__");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(web.json(response))
        .isEqualTo(
            Map.of(
                "status",
                "ok",
                "checks",
                Map.of("database", "ok", "migrations", "ok"),
                "details",
                Map.of()));
  }

  @Test
  void anUnchangedHistoryIsNotInspectedAgain() {
    assertThat(web.get("/__heartbeat__").statusCode()).isEqualTo(200);
    int infoCalls = CountingInfoCallback.INFO_CALLS.get();
    assertThat(infoCalls).as("info() calls seen by the callback").isPositive();

    assertThat(web.get("/__heartbeat__").statusCode()).isEqualTo(200);
    assertThat(web.get("/__heartbeat__").statusCode()).isEqualTo(200);

    assertThat(CountingInfoCallback.INFO_CALLS).hasValue(infoCalls);
  }

  @Test
  void aMigrationMissingFromTheHistoryIsPending() throws Exception {
    sql(
        "CREATE TABLE history_backup AS SELECT * FROM plinth_schema_history WHERE version = '1'",
        "DELETE FROM plinth_schema_history WHERE version = '1'");
    try {
      HttpResponse<String> response = web.get("/__heartbeat__");

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(web.json(response))
          .isEqualTo(
              migrationsError(
                  MigrationsCheck.PENDING, "Migrations not applied: plinth V1 task runs."));
    } finally {
      sql(
          "INSERT INTO plinth_schema_history SELECT * FROM history_backup",
          "DROP TABLE history_backup");
    }
    assertThat(web.get("/__heartbeat__").statusCode()).isEqualTo(200);
  }

  @Test
  void aFailedMigrationIsReported() throws Exception {
    sql("UPDATE plinth_schema_history SET success = false WHERE version = '1'");
    try {
      HttpResponse<String> response = web.get("/__heartbeat__");

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(web.json(response))
          .isEqualTo(
              migrationsError(MigrationsCheck.FAILED, "Migrations failed: plinth V1 task runs."));
    } finally {
      sql("UPDATE plinth_schema_history SET success = true WHERE version = '1'");
    }
    assertThat(web.get("/__heartbeat__").statusCode()).isEqualTo(200);
  }

  private void sql(String... statements) throws SQLException {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  /** The heartbeat body when only the migrations check reports, with one message. */
  private static Map<String, Object> migrationsError(String id, String text) {
    return Map.of(
        "status",
        "error",
        "checks",
        Map.of("database", "ok", "migrations", "error"),
        "details",
        Map.of("migrations", Map.of("status", "error", "level", 40, "messages", Map.of(id, text))));
  }
}
