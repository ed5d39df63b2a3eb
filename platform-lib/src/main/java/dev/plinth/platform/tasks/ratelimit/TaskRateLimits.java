package dev.plinth.platform.tasks.ratelimit;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.tasks.TasksConfiguration;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micronaut.context.BeanLocator;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.inject.qualifiers.Qualifiers;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limits of {@code plinth.tasks.rate-limits} ({@code TASK=RATE}, Celery's notation): a
 * token bucket per task name holding one token, as Celery's does, so runs are spread evenly rather
 * than bursting. With the cache's Redis ({@code CACHE_REDIS_HOST}) the bucket is shared by every
 * worker (bucket4j's compare-and-swap on one key per task); without it each worker has its own, as
 * Celery's workers do. A run is <em>reserved</em>: the caller learns when its slot comes and
 * publishes the message again for then, so a waiting task holds no prefetch slot and no thread.
 */
@Singleton
@Requires(property = PlinthProperties.TASKS_ENABLED, notEquals = "false")
public class TaskRateLimits {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRateLimits.class);

  private final Map<String, BucketConfiguration> limits = new HashMap<>();
  private final Map<String, Bucket> local = new ConcurrentHashMap<>();
  private final RedisClient redis;
  private final String keyPrefix;
  private volatile ProxyManager<byte[]> shared;
  private volatile StatefulRedisConnection<byte[], byte[]> connection;

  public TaskRateLimits(
      TasksConfiguration configuration,
      BeanLocator beans,
      @Nullable @Value("${" + PlinthProperties.CACHE_REDIS_SERVER_NAME + ":}") String server,
      @Value("${micronaut.application.name:plinth}") String appName) {
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
    this.redis =
        limits.isEmpty() || server == null || server.isBlank()
            ? null
            : beans.getBean(RedisClient.class, Qualifiers.byName(server));
    this.keyPrefix = appName + ":rate:";
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
    if (limit == null) {
      return Duration.ZERO;
    }
    if (redis != null) {
      try {
        byte[] key = (keyPrefix + task).getBytes(StandardCharsets.UTF_8);
        return Duration.ofNanos(shared().getProxy(key, () -> limit).consumeIgnoringRateLimits(1));
      } catch (RuntimeException e) {
        // Redis away: this worker's own bucket keeps the limit per worker meanwhile.
        LOG.atWarn().setCause(e).log("task rate limit not shared: Redis unreachable");
      }
    }
    Bucket own =
        local.computeIfAbsent(
            task, t -> Bucket.builder().addLimit(limit.getBandwidths()[0]).build());
    return Duration.ofNanos(own.consumeIgnoringRateLimits(1));
  }

  private ProxyManager<byte[]> shared() {
    ProxyManager<byte[]> current = shared;
    if (current != null) {
      return current;
    }
    synchronized (this) {
      if (shared == null) {
        connection = redis.connect(ByteArrayCodec.INSTANCE);
        shared =
            Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(
                    ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofMinutes(1)))
                .build();
      }
      return shared;
    }
  }

  @PreDestroy
  synchronized void close() {
    if (connection != null) {
      connection.close();
    }
  }
}
