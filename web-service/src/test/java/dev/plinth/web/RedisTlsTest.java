package dev.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.LogCapture;
import dev.plinth.platform.testing.tls.ScratchRedis;
import dev.plinth.platform.testing.tls.TestCertificates;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions and caches in a Redis that takes TLS only and requires a password, as ElastiCache with
 * in-transit encryption and AUTH (or an ACL user) does: a redis-server of the test's own with a
 * certificate from a test authority.
 */
class RedisTlsTest {
  // Characters a URI would have to escape: the password must reach AUTH intact.
  static final String PASSWORD = "p@ss:w/rd%?#1";
  static final String ACL_USER = "plinth-cache";
  static final String ACL_PASSWORD = "cache secret 2";

  @TempDir static Path dir;
  static TestCertificates authority;
  static ScratchRedis redis;

  @BeforeAll
  static void startRedis() {
    authority = TestCertificates.authority(dir, "Plinth test CA");
    redis =
        ScratchRedis.startTls(
            dir,
            authority.issue("redis", "DNS:localhost", "IP:127.0.0.1"),
            PASSWORD,
            ACL_USER,
            ACL_PASSWORD);
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  static Map<String, String> environment(Path dataDir, String sessionPassword) {
    Map<String, String> env = InProcessMode.localEnvironment(dataDir);
    env.put("APP_CA_BUNDLE", authority.certificatePem());
    env.put("SESSION_REDIS_HOST", "localhost");
    env.put("SESSION_REDIS_PORT", String.valueOf(redis.port()));
    env.put("SESSION_REDIS_DB", "1");
    env.put("SESSION_REDIS_TLS", "true");
    env.put("SESSION_REDIS_PASSWORD", sessionPassword);
    env.put("CACHE_REDIS_HOST", "localhost");
    env.put("CACHE_REDIS_PORT", String.valueOf(redis.port()));
    env.put("CACHE_REDIS_DB", "2");
    env.put("CACHE_REDIS_TLS", "true");
    env.put("CACHE_REDIS_USERNAME", ACL_USER);
    env.put("CACHE_REDIS_PASSWORD", ACL_PASSWORD);
    return env;
  }

  @Test
  void sessionsAndCachesWorkOverVerifiedTlsWithAPasswordAndAnAclUser(@TempDir Path dataDir) {
    try (InProcessMode web =
        InProcessMode.start(Application.MODE, Application.class, environment(dataDir, PASSWORD))) {
      WebVisitor visitor = new WebVisitor();
      assertThat(visitor.visitHello(web.port())).isEqualTo(1);
      assertThat(visitor.visitHello(web.port())).isEqualTo(2);
      HttpResponse<String> created =
          visitor.sendJson(web.port(), "POST", "/api/notes", "{\"title\":\"t\",\"body\":\"b\"}");
      assertThat(created.statusCode()).isEqualTo(201);
      String note = created.headers().firstValue("Location").orElseThrow();
      assertThat(visitor.get(web.port(), note).statusCode()).isEqualTo(200);
      HttpResponse<String> heartbeat = web.get("/__heartbeat__");
      assertThat(heartbeat.statusCode()).isEqualTo(200);
      assertThat(heartbeat.body()).contains("\"session-redis\":\"ok\"", "\"cache-redis\":\"ok\"");
    }
    // What the service wrote is in the TLS-only server, each set in its own database.
    assertThat(keys(1, "micronaut:session:*")).isNotEmpty();
    assertThat(keys(2, "plinth:cache:notes:*")).hasSize(1);
  }

  @Test
  void aWrongPasswordFailsTheHeartbeatNamingTheCheckAndNeverShowsThePassword(
      @TempDir Path dataDir) {
    String wrong = "not-the-password-" + System.nanoTime();
    try (LogCapture logs = new LogCapture();
        InProcessMode web =
            InProcessMode.start(Application.MODE, Application.class, environment(dataDir, wrong))) {
      HttpResponse<String> heartbeat = web.get("/__heartbeat__");
      assertThat(heartbeat.statusCode()).isEqualTo(500);
      assertThat(heartbeat.body())
          .contains(
              "\"session-redis\":\"error\"",
              "plinth.session-redis.E001",
              "refused the credentials of SESSION_REDIS_PASSWORD (WRONGPASS)");
      assertThat(heartbeat.body()).contains("\"cache-redis\":\"ok\"");
      // The page still answers, with a session that is not kept.
      assertThat(new WebVisitor().visitHello(web.port())).isEqualTo(1);
      assertThat(heartbeat.body()).doesNotContain(wrong);
      assertThat(logs.lines()).noneMatch(line -> line.contains(wrong));
    }
  }

  private static List<String> keys(int db, String pattern) {
    RedisURI uri =
        RedisURI.builder()
            .withHost("localhost")
            .withPort(redis.port())
            .withSsl(true)
            .withPassword(PASSWORD.toCharArray())
            .withDatabase(db)
            .build();
    RedisClient client = RedisClient.create(uri);
    client.setOptions(
        ClientOptions.builder()
            .sslOptions(
                SslOptions.builder()
                    .jdkSslProvider()
                    .trustManager(authority.certificate().toFile())
                    .build())
            .build());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return connection.sync().keys(pattern);
    } finally {
      client.shutdown();
    }
  }
}
