package dev.plinth.platform.cache;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/** Publishes {@link CacheFailures} to Micrometer, only when Micrometer is on the classpath. */
@Singleton
@Requires(classes = MeterBinder.class)
public class CacheFailureMeter implements MeterBinder {
  private final CacheFailures failures;

  public CacheFailureMeter(CacheFailures failures) {
    this.failures = failures;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("plinth.cache.failures", failures, CacheFailures::count)
        .description("Cache operations that failed and were passed over")
        .register(registry);
  }
}
