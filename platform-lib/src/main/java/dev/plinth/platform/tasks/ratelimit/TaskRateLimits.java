package dev.plinth.platform.tasks.ratelimit;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.ratelimit.RateLimit;
import dev.plinth.platform.ratelimit.TokenBuckets;
import dev.plinth.platform.tasks.TasksConfiguration;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The rate limits of {@code plinth.tasks.rate-limits} ({@code TASK=RATE}, Celery's notation): a
 * token bucket per task name holding one token, as Celery's does, so runs are spread evenly rather
 * than bursting. With the cache's Redis ({@code CACHE_REDIS_HOST}) the bucket is shared by every
 * worker ({@link TokenBuckets}); without it each worker has its own, as Celery's workers do. A run
 * is <em>reserved</em>: the caller learns when its slot comes and publishes the message again for
 * then, so a waiting task holds no prefetch slot and no thread.
 */
@Singleton
@Requires(property = PlinthProperties.TASKS_ENABLED, notEquals = "false")
public class TaskRateLimits {
  private final Map<String, BucketConfiguration> limits = new HashMap<>();
  private final TokenBuckets buckets;

  public TaskRateLimits(TasksConfiguration configuration, TokenBuckets buckets) {
    this.buckets = buckets;
    for (String entry : configuration.getRateLimits()) {
      int equals = entry.lastIndexOf('=');
      if (equals < 1) {
        throw new IllegalArgumentException(
            "plinth.tasks.rate-limits: '" + entry + "' is not TASK=RATE, such as app.sync=10/s");
      }
      RateLimit rate = RateLimit.parse(entry.substring(equals + 1));
      limits.put(
          entry.substring(0, equals).trim(),
          BucketConfiguration.builder()
              .addLimit(Bandwidth.builder().capacity(1).refillGreedy(1, rate.interval()).build())
              .build());
    }
  }

  /** True when {@code task} has a limit. */
  public boolean limited(String task) {
    return limits.containsKey(task);
  }

  /**
   * Reserves the next slot of {@code task}: zero when it may run now, else how long until its slot
   * comes (the slot is taken: run it then, without reserving again).
   */
  public Duration reserve(String task) {
    BucketConfiguration limit = limits.get(task);
    return limit == null ? Duration.ZERO : buckets.reserve("task:" + task, limit);
  }
}
