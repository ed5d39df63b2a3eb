package dev.plinth.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.sentry.LocalSentryServer;
import dev.plinth.platform.testing.FreePorts;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TASK command that fails reaches Sentry (a local envelope endpoint) once, tagged with the
 * command and its exit status, before the process exits; one that succeeds sends nothing. Each
 * command ends with a {@code command.summary} line.
 */
class CommandSentryTest {
  private static final String PASSWORD = "command-sentry-db-password";

  @TempDir Path dataDir;

  @Test
  void aFailingCommandIsReportedOnceTaggedAndASucceedingOneSendsNothing() throws Exception {
    try (LocalSentryServer sentry = new LocalSentryServer()) {
      Map<String, String> env = TaskProcess.baseEnvironment(dataDir);
      env.put("SENTRY_DSN", sentry.dsn());
      // A database nobody listens on: check fails with status 1.
      env.put("DATABASE_HOST", "127.0.0.1");
      env.put("DATABASE_PORT", String.valueOf(FreePorts.pick()));
      env.put("DATABASE_PASSWORD", PASSWORD);
      env.put("FLYWAY_DATASOURCES_DEFAULT_ENABLED", "false");

      TaskProcess.Result failed = TaskProcess.run(env, "check");

      assertThat(failed.exit()).as(failed.toString()).isEqualTo(1);
      assertThat(failed.stdout())
          .contains("\"command\":\"check\"", "\"status\":1", "command.summary");
      assertThat(sentry.events())
          .singleElement()
          .satisfies(e -> assertThat(e).contains("\"command\":\"check\"", "\"exit_status\":\"1\""));
      assertThat(sentry.envelopes()).noneMatch(e -> e.contains(PASSWORD));

      Map<String, String> healthy = TaskProcess.baseEnvironment(dataDir);
      healthy.put("SENTRY_DSN", sentry.dsn());
      TaskProcess.Result ok = TaskProcess.run(healthy, "check");
      assertThat(ok.exit()).as(ok.toString()).isZero();
      assertThat(ok.stdout()).contains("\"command\":\"check\"", "\"status\":0");
      assertThat(sentry.events()).hasSize(1);
    }
  }
}
