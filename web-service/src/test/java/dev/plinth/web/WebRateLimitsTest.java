package dev.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.RedisTestDatabase;
import dev.plinth.platform.testing.TcpProxy;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WEB's request rate limits over HTTP: two instances sharing the cache's Redis hold one client to
 * its limit together; the 429 is a problem with {@code Retry-After} and the {@code RateLimit-*}
 * headers; with Redis cut each instance limits on its own and nothing errors; {@code
 * X-Forwarded-For} names the client only behind a trusted proxy; an authenticated client is its
 * user whatever its address; a bad limit stops start-up naming it; with no group configured nothing
 * is limited.
 */
class WebRateLimitsTest {
  @TempDir Path dataDir;

  private Map<String, String> env(int redisPort, int db, String limit, boolean trustLoopback) {
    Map<String, String> env = InProcessMode.localEnvironment(dataDir);
    env.put("CACHE_REDIS_HOST", "127.0.0.1");
    env.put("CACHE_REDIS_PORT", String.valueOf(redisPort));
    env.put("CACHE_REDIS_DB", String.valueOf(db));
    env.put("PLINTH_WEB_RATELIMITS_API_PATHS", "/api/**");
    env.put("PLINTH_WEB_RATELIMITS_API_LIMIT", limit);
    if (trustLoopback) {
      env.put("PLINTH_WEB_TRUSTED_PROXIES", "127.0.0.0/8,::1");
    }
    return env;
  }

  private static HttpResponse<String> hello(InProcessMode web, String client) {
    return web.get(web.port(), "/api/hello", Map.of("X-Forwarded-For", client));
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  @Test
  void twoInstancesSharingRedisHoldAClientToItsLimitTogetherAndDegradeToLocalWithoutIt() {
    TcpProxy redisProxy = TcpProxy.start(RedisTestDatabase.host(), RedisTestDatabase.port());
    try (RedisTestDatabase redis = RedisTestDatabase.take();
        InProcessMode first =
            InProcessMode.start(
                Application.MODE,
                Application.class,
                env(redisProxy.port(), redis.db(), "6/m", true));
        InProcessMode second =
            InProcessMode.start(
                Application.MODE,
                Application.class,
                env(redisProxy.port(), redis.db(), "6/m", true))) {
      String client = "203.0.113." + (1 + Math.abs(UUID.randomUUID().hashCode() % 200));
      for (int n = 0; n < 6; n++) {
        HttpResponse<String> ok = hello(n % 2 == 0 ? first : second, client);
        assertThat(ok.statusCode()).as("request " + n).isEqualTo(200);
        assertThat(header(ok, "RateLimit-Limit")).isEqualTo("6");
        assertThat(header(ok, "RateLimit-Remaining")).isEqualTo(Integer.toString(5 - n));
        assertThat(header(ok, "RateLimit-Policy")).isEqualTo("6;w=60");
      }
      for (InProcessMode web : new InProcessMode[] {first, second}) {
        HttpResponse<String> refused = hello(web, client);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(header(refused, "Content-Type")).startsWith("application/problem+json");
        assertThat(refused.body()).contains("\"status\":429", "rate limit api reached");
        assertThat(Long.parseLong(header(refused, "Retry-After"))).isBetween(1L, 10L);
        assertThat(header(refused, "RateLimit-Remaining")).isEqualTo("0");
        assertThat(Long.parseLong(header(refused, "RateLimit-Reset"))).isBetween(50L, 60L);
      }
      // Another client has its own bucket; a path in no group has no limit and no headers.
      assertThat(hello(first, "198.51.100.9").statusCode()).isEqualTo(200);
      HttpResponse<String> page = first.get("/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(header(page, "RateLimit-Limit")).isNull();

      // Redis cut: each instance limits on its own, from a fresh local bucket; nothing errors.
      redisProxy.close();
      String later = "192.0.2.77";
      for (InProcessMode web : new InProcessMode[] {first, second}) {
        for (int n = 0; n < 6; n++) {
          assertThat(hello(web, later).statusCode())
              .as("request " + n + " without Redis")
              .isEqualTo(200);
        }
        assertThat(hello(web, later).statusCode()).isEqualTo(429);
      }
    } finally {
      redisProxy.close();
    }
  }

  @Test
  void anAuthenticatedClientIsItsUserOnEveryAddressAndAnAnonymousOneItsAddress() throws Exception {
    String secret = "an-hs256-secret-of-at-least-32-characters!";
    try (RedisTestDatabase redis = RedisTestDatabase.take()) {
      Map<String, String> env = env(RedisTestDatabase.port(), redis.db(), "3/m", true);
      env.put("APP_JWT_SECRET", secret);
      try (InProcessMode web = InProcessMode.start(Application.MODE, Application.class, env)) {
        String alice = "Bearer " + TestTokens.hs256(secret, "alice");
        for (int n = 0; n < 3; n++) {
          HttpResponse<String> ok =
              web.get(
                  web.port(),
                  "/api/hello",
                  Map.of("X-Forwarded-For", "203.0.113." + (10 + n), "Authorization", alice));
          assertThat(ok.statusCode()).as("alice's request " + n).isEqualTo(200);
          assertThat(header(ok, "RateLimit-Remaining")).isEqualTo(Integer.toString(2 - n));
        }
        // A fourth address is still alice: her bucket is empty.
        assertThat(
                web.get(
                        web.port(),
                        "/api/hello",
                        Map.of("X-Forwarded-For", "203.0.113.99", "Authorization", alice))
                    .statusCode())
            .isEqualTo(429);
        // Bob, and an anonymous client at alice's first address, have buckets of their own.
        String bob = "Bearer " + TestTokens.hs256(secret, "bob");
        assertThat(
                web.get(
                        web.port(),
                        "/api/hello",
                        Map.of("X-Forwarded-For", "203.0.113.10", "Authorization", bob))
                    .statusCode())
            .isEqualTo(200);
        assertThat(hello(web, "203.0.113.10").statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void forwardedForNamesTheClientOnlyBehindATrustedProxy() {
    try (RedisTestDatabase redis = RedisTestDatabase.take();
        InProcessMode web =
            InProcessMode.start(
                Application.MODE,
                Application.class,
                env(RedisTestDatabase.port(), redis.db(), "2/m", false))) {
      // Anyone can write the header: untrusted, every value is the same client, the peer.
      assertThat(hello(web, "203.0.113.1").statusCode()).isEqualTo(200);
      assertThat(hello(web, "203.0.113.2").statusCode()).isEqualTo(200);
      assertThat(hello(web, "203.0.113.3").statusCode()).isEqualTo(429);
    }
  }

  @Test
  void aBadLimitStopsStartUpNamingItAndNoGroupLimitsNothing() {
    Map<String, String> bad = env(RedisTestDatabase.port(), 0, "ten/s", false);
    assertThatThrownBy(() -> InProcessMode.start(Application.MODE, Application.class, bad))
        .hasStackTraceContaining("plinth.web.ratelimits.api.limit")
        .hasStackTraceContaining("'ten/s' is not a rate limit");

    Map<String, String> none = InProcessMode.localEnvironment(dataDir);
    try (InProcessMode web = InProcessMode.start(Application.MODE, Application.class, none)) {
      for (int n = 0; n < 20; n++) {
        HttpResponse<String> ok = web.get("/api/hello");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(header(ok, "RateLimit-Limit")).isNull();
      }
    }
  }
}
