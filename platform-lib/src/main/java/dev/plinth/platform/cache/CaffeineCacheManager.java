package dev.plinth.platform.cache;

import com.github.benmanes.caffeine.cache.Cache;
import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.cache.DynamicCacheManager;
import io.micronaut.cache.SyncCache;
import io.micronaut.cache.caffeine.DefaultCacheConfiguration;
import io.micronaut.cache.caffeine.DefaultDynamicCacheManager;
import io.micronaut.cache.caffeine.DefaultSyncCache;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.runtime.ApplicationConfiguration;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The embedded default: a bounded in-memory Caffeine cache for every name the application uses,
 * expiring after {@code CACHE_TTL_SECONDS}, as the Redis caches do. A name configured under {@code
 * micronaut.caches.<name>} keeps its own settings.
 */
@Singleton
@Replaces(DefaultDynamicCacheManager.class)
@Requires(missingProperty = PlinthProperties.CACHE_REDIS_SERVER_NAME)
public class CaffeineCacheManager implements DynamicCacheManager<Cache<Object, Object>> {
  private final ApplicationContext context;
  private final ConversionService conversionService;
  private final ApplicationConfiguration applicationConfiguration;
  private final Duration ttl;
  private final long maximumSize;

  public CaffeineCacheManager(
      ApplicationContext context,
      ConversionService conversionService,
      ApplicationConfiguration applicationConfiguration,
      @Value("${" + PlinthProperties.CACHE_TTL + ":10m}") Duration ttl,
      @Value("${" + PlinthProperties.CACHE_MAXIMUM_SIZE + ":10000}") long maximumSize) {
    this.context = context;
    this.conversionService = conversionService;
    this.applicationConfiguration = applicationConfiguration;
    this.ttl = ttl;
    this.maximumSize = maximumSize;
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public SyncCache<Cache<Object, Object>> getCache(String name) {
    DefaultCacheConfiguration configuration =
        new DefaultCacheConfiguration(name, applicationConfiguration);
    configuration.setExpireAfterWrite(ttl);
    configuration.setMaximumSize(maximumSize);
    return (SyncCache) new DefaultSyncCache(configuration, context, conversionService);
  }
}
