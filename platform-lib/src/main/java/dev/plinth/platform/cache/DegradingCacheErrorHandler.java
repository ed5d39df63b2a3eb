package dev.plinth.platform.cache;

import io.micronaut.cache.Cache;
import io.micronaut.cache.CacheErrorHandler;
import io.micronaut.cache.DefaultCacheErrorHandler;
import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Replaces;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache outage must not fail requests: a failed read is treated as a miss (the method runs), a
 * failed write or eviction is skipped. Each failure is logged and counted in {@link CacheFailures}.
 */
@Singleton
@Primary
@Replaces(DefaultCacheErrorHandler.class)
public class DegradingCacheErrorHandler implements CacheErrorHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DegradingCacheErrorHandler.class);

  private final CacheFailures failures;

  public DegradingCacheErrorHandler(CacheFailures failures) {
    this.failures = failures;
  }

  @Override
  public boolean handleInvalidateError(Cache<?> cache, Object key, RuntimeException e) {
    return passOver(cache, "invalidate", e);
  }

  @Override
  public boolean handleInvalidateError(Cache<?> cache, RuntimeException e) {
    return passOver(cache, "invalidate-all", e);
  }

  @Override
  public boolean handlePutError(Cache<?> cache, Object key, Object result, RuntimeException e) {
    return passOver(cache, "put", e);
  }

  @Override
  public boolean handleLoadError(Cache<?> cache, Object key, RuntimeException e) {
    return passOver(cache, "get", e);
  }

  private boolean passOver(Cache<?> cache, String operation, RuntimeException e) {
    failures.record();
    LOG.atWarn()
        .addKeyValue("cache", cache.getName())
        .addKeyValue("operation", operation)
        .addKeyValue("error", e.getClass().getSimpleName() + ": " + e.getMessage())
        .log("cache unavailable, continuing uncached");
    return false;
  }
}
