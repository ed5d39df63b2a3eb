package dev.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.testing.FreePorts;
import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.PostgresTestDatabase;
import dev.plinth.platform.testing.RedisTestDatabase;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions and caches in the local Redis (two database indexes of this run), notes in a fresh
 * PostgreSQL database: what several WEB instances behind a load balancer rely on.
 */
class DataInRedisTest {
  static RedisTestDatabase sessions;
  static RedisTestDatabase caches;
  static PostgresTestDatabase database;

  @BeforeAll
  static void takeServices() {
    sessions = RedisTestDatabase.take();
    caches = RedisTestDatabase.takeOtherThan(sessions);
    database = PostgresTestDatabase.create();
  }

  @AfterAll
  static void releaseServices() {
    sessions.close();
    caches.close();
    database.close();
  }

  static Map<String, String> environment(Path dataDir) {
    Map<String, String> env = InProcessMode.localEnvironment(dataDir);
    env.putAll(database.environment());
    env.put("SESSION_REDIS_HOST", RedisTestDatabase.host());
    env.put("SESSION_REDIS_PORT", String.valueOf(RedisTestDatabase.port()));
    env.put("SESSION_REDIS_DB", String.valueOf(sessions.db()));
    env.put("CACHE_REDIS_HOST", RedisTestDatabase.host());
    env.put("CACHE_REDIS_PORT", String.valueOf(RedisTestDatabase.port()));
    env.put("CACHE_REDIS_DB", String.valueOf(caches.db()));
    return env;
  }

  /** The same environment on new ports: another instance of the same service. */
  static Map<String, String> anotherInstance(Map<String, String> env) {
    Map<String, String> other = new HashMap<>(env);
    other.put("PORT", String.valueOf(FreePorts.pick()));
    other.put("APP_MANAGEMENT_PORT", String.valueOf(FreePorts.pick()));
    return other;
  }

  @Test
  void aSessionSurvivesARestartOfTheService(@TempDir Path dataDir) {
    Map<String, String> env = environment(dataDir);
    WebVisitor visitor = new WebVisitor();
    try (InProcessMode web = InProcessMode.start(Application.MODE, Application.class, env)) {
      assertThat(visitor.visitHello(web.port())).isEqualTo(1);
      assertThat(visitor.visitHello(web.port())).isEqualTo(2);
      HttpResponse<String> heartbeat = web.get("/__heartbeat__");
      assertThat(heartbeat.statusCode()).isEqualTo(200);
      assertThat(heartbeat.body()).contains("\"session-redis\":\"ok\"", "\"cache-redis\":\"ok\"");
    }
    // Sessions live in their own database index, caches in theirs.
    assertThat(sessions.keys("micronaut:session:*")).isNotEmpty();
    assertThat(caches.keys("micronaut:session:*")).isEmpty();

    try (InProcessMode restarted =
        InProcessMode.start(Application.MODE, Application.class, anotherInstance(env))) {
      assertThat(visitor.visitHello(restarted.port())).isEqualTo(3);
    }
  }

  @Test
  void twoInstancesShareSessionsAndCachesAndAWriteEvictsForBoth(@TempDir Path dataDir)
      throws Exception {
    Map<String, String> env = environment(dataDir);
    try (InProcessMode a = InProcessMode.start(Application.MODE, Application.class, env);
        InProcessMode b =
            InProcessMode.start(Application.MODE, Application.class, anotherInstance(env))) {
      WebVisitor visitor = new WebVisitor();
      assertThat(visitor.visitHello(a.port())).isEqualTo(1);
      assertThat(visitor.visitHello(b.port())).isEqualTo(2);
      assertThat(visitor.visitHello(a.port())).isEqualTo(3);

      JsonMapper json = a.context().getBean(JsonMapper.class);
      HttpResponse<String> created =
          visitor.sendJson(a.port(), "POST", "/api/notes", "{\"title\":\"first\",\"body\":\"b\"}");
      assertThat(created.statusCode()).isEqualTo(201);
      long id = ((Number) map(json, created.body()).get("id")).longValue();
      String path = "/api/notes/" + id;
      assertThat(title(json, visitor.get(a.port(), path))).isEqualTo("first");
      assertThat(caches.keys("plinth:cache:notes:*")).hasSize(1);

      // Changed behind the cache's back: both instances still answer from the one shared entry.
      setTitle(id, "changed behind the cache");
      assertThat(title(json, visitor.get(b.port(), path))).isEqualTo("first");
      assertThat(title(json, visitor.get(a.port(), path))).isEqualTo("first");

      // A write through the API on B evicts the entry for A too.
      HttpResponse<String> updated =
          visitor.sendJson(b.port(), "PUT", path, "{\"title\":\"second\",\"body\":\"b\"}");
      assertThat(updated.statusCode()).isEqualTo(200);
      assertThat(title(json, visitor.get(a.port(), path))).isEqualTo("second");

      // The hello counter read is cached; a visit on one instance evicts it for the other.
      long before = visits(json, visitor.get(a.port(), "/api/hello"));
      assertThat(visits(json, visitor.get(b.port(), "/api/hello"))).isEqualTo(before);
      visitor.visitHello(b.port());
      assertThat(visits(json, visitor.get(a.port(), "/api/hello"))).isEqualTo(before + 1);
    }
  }

  private static void setTitle(long id, String title) throws Exception {
    try (Connection connection = database.connect();
        PreparedStatement update =
            connection.prepareStatement("UPDATE notes SET title = ? WHERE id = ?")) {
      update.setString(1, title);
      update.setLong(2, id);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }

  static String title(JsonMapper json, HttpResponse<String> response) throws IOException {
    assertThat(response.statusCode()).isEqualTo(200);
    return (String) map(json, response.body()).get("title");
  }

  static long visits(JsonMapper json, HttpResponse<String> response) throws IOException {
    assertThat(response.statusCode()).isEqualTo(200);
    return ((Number) map(json, response.body()).get("visits")).longValue();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(JsonMapper json, String body) throws IOException {
    return json.readValue(body, Map.class);
  }
}
