package dev.plinth.platform.dockerflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.database.DatabaseCheck;
import dev.plinth.platform.database.MigrationsCheck;
import dev.plinth.platform.dockerflow.HealthCheck;
import dev.plinth.platform.dockerflow.HeartbeatRegistry;
import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.PlatformTestApplication;
import dev.plinth.platform.testing.TestModes;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each switch of the Dockerflow endpoints and the database checks, on and off. */
class DockerflowConditionsTest {
  @TempDir Path dataDir;

  @Test
  void dockerflowDisabledRemovesAllThreeEndpoints() throws IOException {
    Path versionFile = Files.writeString(dataDir.resolve("version.json"), "{}");
    Map<String, String> env = InProcessMode.localEnvironment(dataDir);
    env.put("PLINTH_DOCKERFLOW_ENABLED", "false");
    env.put("PLINTH_DOCKERFLOW_VERSION_FILE", versionFile.toString());

    try (InProcessMode web =
        InProcessMode.start(TestModes.WEB, PlatformTestApplication.class, env)) {
      assertThat(web.get("/__heartbeat__").statusCode()).isEqualTo(404);
      assertThat(web.get("/__lbheartbeat__").statusCode()).isEqualTo(404);
      assertThat(web.get("/__version__").statusCode()).isEqualTo(404);
      assertThat(web.context().containsBean(HeartbeatRegistry.class)).isFalse();
    }
  }

  @Test
  void byDefaultBothDatabaseChecksAreRegistered() {
    try (ApplicationContext context = context(Map.of())) {
      assertThat(context.getBean(HeartbeatRegistry.class).names())
          .containsExactly(DatabaseCheck.NAME, MigrationsCheck.NAME);
    }
  }

  @Test
  void databaseChecksDisabledLeavesBothOut() {
    try (ApplicationContext context = context(Map.of("PLINTH_DATABASE_CHECKS_ENABLED", "false"))) {
      assertThat(context.getBeansOfType(HealthCheck.class)).isEmpty();
      assertThat(context.getBean(HeartbeatRegistry.class).names()).isEmpty();
    }
  }

  @Test
  void flywayDisabledLeavesTheMigrationsCheckOut() {
    try (ApplicationContext context =
        context(Map.of("FLYWAY_DATASOURCES_DEFAULT_ENABLED", "false"))) {
      assertThat(context.getBean(HeartbeatRegistry.class).names())
          .containsExactly(DatabaseCheck.NAME);
    }
  }

  /** A context without its HTTP server: enough to see which beans the switches leave in. */
  private ApplicationContext context(Map<String, String> extra) {
    Map<String, String> env = InProcessMode.localEnvironment(dataDir);
    env.putAll(extra);
    return PlinthApplication.builder(TestModes.WEB, PlatformTestApplication.class, env)
        .build()
        .start();
  }
}
