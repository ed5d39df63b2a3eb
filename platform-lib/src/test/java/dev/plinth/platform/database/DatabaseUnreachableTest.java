package dev.plinth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.PlatformTestApplication;
import dev.plinth.platform.testing.PostgresTestDatabase;
import dev.plinth.platform.testing.TcpProxy;
import dev.plinth.platform.testing.TestModes;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away after start-up (a proxy in front of PostgreSQL is closed): the load
 * balancer's heartbeat stays 200, the full heartbeat turns 500 and names the database check.
 */
class DatabaseUnreachableTest {
  @Test
  void heartbeatFailsOnTheDatabaseWhileLbheartbeatStaysUp(@TempDir Path dataDir) {
    // Not try-with-resources: the test closes the proxy itself, as the failure it simulates.
    TcpProxy proxy = TcpProxy.start(PostgresTestDatabase.host(), PostgresTestDatabase.port());
    try (PostgresTestDatabase database = PostgresTestDatabase.create()) {
      Map<String, String> env = InProcessMode.localEnvironment(dataDir);
      env.putAll(database.environment("127.0.0.1", proxy.port()));
      try (InProcessMode web =
          InProcessMode.start(TestModes.WEB, PlatformTestApplication.class, env)) {
        assertThat(web.get("/__heartbeat__").statusCode()).isEqualTo(200);

        proxy.close();

        assertThat(web.get("/__lbheartbeat__").statusCode()).isEqualTo(200);
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(web.get("/__heartbeat__").statusCode()).isEqualTo(500));
        HttpResponse<String> response = web.get("/__heartbeat__");
        assertThat(response.statusCode()).isEqualTo(500);
        Map<String, Object> body = web.json(response);
        assertThat(body).containsEntry("status", "error");
        assertThat(map(body.get("checks"))).containsEntry("database", "error");
        Map<String, Object> detail = map(map(body.get("details")).get("database"));
        assertThat(detail).containsEntry("status", "error").containsEntry("level", 40);
        Map<String, Object> messages = map(detail.get("messages"));
        assertThat(messages).containsOnlyKeys(DatabaseCheck.UNREACHABLE);
        assertThat(messages.get(DatabaseCheck.UNREACHABLE).toString())
            .contains("PostgreSQL", "127.0.0.1:" + proxy.port(), database.name())
            .doesNotContain("jdbc:", "password");
        assertThat(web.get("/__lbheartbeat__").statusCode()).isEqualTo(200);
      }
    } finally {
      proxy.close();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }
}
