package dev.plinth.platform.cache;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.redis.LazyRedisConnection;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.cache.DynamicCacheManager;
import io.micronaut.cache.SyncCache;
import io.micronaut.context.BeanLocator;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Named caches in Redis ({@code CACHE_REDIS_*}), shared by every instance of the service. Any name
 * used in a cache annotation becomes a cache; values are stored as JSON (so cached types need
 * {@code @Serdeable}) under {@code <app>:cache:<name>:} and expire after {@code CACHE_TTL_SECONDS}.
 * The connection opens on first use, so the service starts while Redis is away.
 *
 * <p>Not micronaut-redis's {@code RedisCache}: it opens its connection when the cache bean is
 * created (so start-up waits on Redis) and serves only the names configured under {@code
 * redis.caches}.
 */
@Singleton
@Requires(property = PlinthProperties.CACHE_REDIS_SERVER_NAME)
public class RedisCacheManager
    implements DynamicCacheManager<StatefulRedisConnection<byte[], byte[]>>, AutoCloseable {

  private final LazyRedisConnection connection;
  private final JsonMapper json;
  private final Duration ttl;
  private final String keyPrefix;

  public RedisCacheManager(
      BeanLocator beans,
      JsonMapper json,
      @Value("${" + PlinthProperties.CACHE_REDIS_SERVER_NAME + "}") String server,
      @Value("${" + PlinthProperties.CACHE_TTL + ":10m}") Duration ttl,
      @Value("${micronaut.application.name:plinth}") String appName) {
    this.connection =
        new LazyRedisConnection(beans.getBean(RedisClient.class, Qualifiers.byName(server)));
    this.json = json;
    this.ttl = ttl;
    this.keyPrefix = appName + ":cache:";
  }

  @Override
  public SyncCache<StatefulRedisConnection<byte[], byte[]>> getCache(String name) {
    return new RedisNamedCache(name, keyPrefix + name + ":", connection, json, ttl);
  }

  /** The caches' connection, also used by the heartbeat check. */
  public LazyRedisConnection connection() {
    return connection;
  }

  @Override
  @PreDestroy
  public void close() {
    connection.close();
  }
}
