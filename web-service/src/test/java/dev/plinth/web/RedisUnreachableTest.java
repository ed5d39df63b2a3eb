package dev.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.cache.CacheFailures;
import dev.plinth.platform.testing.FreePorts;
import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.RedisTestDatabase;
import dev.plinth.platform.testing.TcpProxy;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis goes away (a proxy in front of it is closed) or is not there at start-up: pages and the API
 * keep answering (uncached, with a fresh session), and the heartbeat fails naming the checks.
 */
class RedisUnreachableTest {
  @Test
  void requestsSucceedAndTheHeartbeatNamesBothChecksWhenRedisGoesAway(@TempDir Path dataDir) {
    TcpProxy sessionProxy = TcpProxy.start(RedisTestDatabase.host(), RedisTestDatabase.port());
    TcpProxy cacheProxy = TcpProxy.start(RedisTestDatabase.host(), RedisTestDatabase.port());
    try (RedisTestDatabase redis = RedisTestDatabase.take()) {
      Map<String, String> env = InProcessMode.localEnvironment(dataDir);
      env.putAll(redisSets(sessionProxy.port(), cacheProxy.port(), redis.db()));
      try (InProcessMode web = InProcessMode.start(Application.MODE, Application.class, env)) {
        WebVisitor visitor = new WebVisitor();
        assertThat(visitor.visitHello(web.port())).isEqualTo(1);
        assertThat(visitor.visitHello(web.port())).isEqualTo(2);
        String note = createNote(visitor, web.port());
        assertThat(visitor.get(web.port(), note).statusCode()).isEqualTo(200);
        assertThat(web.get("/__heartbeat__").statusCode()).isEqualTo(200);

        sessionProxy.close();
        cacheProxy.close();

        // Served all the same: the visitor looks new, the note is read from the database.
        assertThat(visitor.visitHello(web.port())).isEqualTo(1);
        assertThat(visitor.get(web.port(), note).statusCode()).isEqualTo(200);
        assertThat(
                visitor
                    .sendJson(web.port(), "PUT", note, "{\"title\":\"while down\",\"body\":null}")
                    .statusCode())
            .isEqualTo(200);
        assertThat(visitor.get(web.port(), "/api/hello").statusCode()).isEqualTo(200);
        assertThat(web.context().getBean(CacheFailures.class).count()).isPositive();

        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(web.get("/__heartbeat__").statusCode()).isEqualTo(500));
        assertHeartbeatNamesRedisChecks(web.get("/__heartbeat__"));
        assertThat(web.get("/__lbheartbeat__").statusCode()).isEqualTo(200);
      }
    } finally {
      sessionProxy.close();
      cacheProxy.close();
    }
  }

  @Test
  void theServiceStartsAndServesWhileRedisIsNotThere(@TempDir Path dataDir) {
    int closed = FreePorts.pick();
    Map<String, String> env = InProcessMode.localEnvironment(dataDir);
    env.putAll(redisSets(closed, closed, 12));
    try (InProcessMode web = InProcessMode.start(Application.MODE, Application.class, env)) {
      WebVisitor visitor = new WebVisitor();
      assertThat(visitor.visitHello(web.port())).isEqualTo(1);
      String note = createNote(visitor, web.port());
      assertThat(visitor.get(web.port(), note).statusCode()).isEqualTo(200);
      assertThat(visitor.get(web.port(), "/api/hello").statusCode()).isEqualTo(200);

      HttpResponse<String> heartbeat = web.get("/__heartbeat__");
      assertThat(heartbeat.statusCode()).isEqualTo(500);
      assertHeartbeatNamesRedisChecks(heartbeat);
    }
  }

  private static Map<String, String> redisSets(int sessionPort, int cachePort, int db) {
    return Map.of(
        "SESSION_REDIS_HOST", "127.0.0.1",
        "SESSION_REDIS_PORT", String.valueOf(sessionPort),
        "SESSION_REDIS_DB", String.valueOf(db),
        "CACHE_REDIS_HOST", "127.0.0.1",
        "CACHE_REDIS_PORT", String.valueOf(cachePort),
        "CACHE_REDIS_DB", String.valueOf(db));
  }

  private static String createNote(WebVisitor visitor, int port) {
    HttpResponse<String> created =
        visitor.sendJson(port, "POST", "/api/notes", "{\"title\":\"kept\",\"body\":\"b\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    return created.headers().firstValue("Location").orElseThrow();
  }

  private static void assertHeartbeatNamesRedisChecks(HttpResponse<String> heartbeat) {
    assertThat(heartbeat.body())
        .contains(
            "\"session-redis\":\"error\"",
            "\"cache-redis\":\"error\"",
            "plinth.session-redis.E001",
            "plinth.cache-redis.E001",
            "SESSION_REDIS_HOST",
            "CACHE_REDIS_HOST");
  }
}
