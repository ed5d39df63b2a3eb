package dev.plinth.platform.cache;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many cache operations failed and were passed over (reads served uncached, writes and
 * evictions skipped). Exposed as the Micrometer counter {@code plinth.cache.failures} when the
 * service has a meter registry.
 */
@Singleton
public class CacheFailures {
  private final AtomicLong count = new AtomicLong();

  void record() {
    count.incrementAndGet();
  }

  public long count() {
    return count.get();
  }
}
