package dev.plinth.example.hello;

import io.micronaut.cache.annotation.CacheConfig;
import io.micronaut.cache.annotation.CacheInvalidate;
import io.micronaut.cache.annotation.Cacheable;
import jakarta.inject.Singleton;

/**
 * The hello counters through the "hello-counter" cache: a read is served from the cache (Redis with
 * {@code CACHE_REDIS_HOST}, Caffeine otherwise), and a visit evicts the counter it changed.
 */
@Singleton
@CacheConfig(HelloCounts.CACHE)
public class HelloCounts {
  public static final String CACHE = "hello-counter";

  private final HelloCounterRepository counters;

  public HelloCounts(HelloCounterRepository counters) {
    this.counters = counters;
  }

  @Cacheable
  public long current(String name) {
    return counters.findVisits(name).orElse(0L);
  }

  @CacheInvalidate
  public long increment(String name) {
    return counters.increment(name);
  }
}
