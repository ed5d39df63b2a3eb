package dev.plinth.platform.cache;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.config.Variables;
import dev.plinth.platform.dockerflow.CheckIds;
import dev.plinth.platform.redis.RedisReachableCheck;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/** {@code plinth.cache-redis.E001}: the cache Redis answers PING. */
@Singleton
@Requires(property = PlinthProperties.CACHE_REDIS_SERVER_NAME)
public class CacheRedisCheck extends RedisReachableCheck {
  public CacheRedisCheck(RedisCacheManager caches) {
    super(CheckIds.CACHE_REDIS, Variables.CACHE_REDIS_HOST, caches.connection());
  }

  @Override
  public void close() {
    // the connection belongs to the cache manager
  }
}
