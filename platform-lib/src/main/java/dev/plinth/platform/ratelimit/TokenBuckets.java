package dev.plinth.platform.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.plinth.platform.config.PlinthProperties;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micronaut.context.BeanLocator;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.inject.qualifiers.Qualifiers;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets by key (bucket4j). With the cache's Redis ({@code CACHE_REDIS_HOST}) a bucket is
 * one Redis key that every instance updates by compare-and-swap, so a limit holds across them;
 * without it, or for {@link #OUTAGE_PAUSE} after Redis failed or was slower than {@link
 * #REDIS_TIMEOUT}, each instance keeps its own buckets (in memory, the least recently used dropped
 * past {@link #LOCAL_BUCKETS}): a Redis outage loosens a limit to one per instance, and never turns
 * into an error or a wait.
 */
@Singleton
public class TokenBuckets {
  private static final Logger LOG = LoggerFactory.getLogger(TokenBuckets.class);

  static final Duration REDIS_TIMEOUT = Duration.ofMillis(250);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  static final Duration OUTAGE_PAUSE = Duration.ofSeconds(5);
  static final int LOCAL_BUCKETS = 100_000;

  private final BeanLocator beans;
  private final String server;
  private final String keyPrefix;
  private final Cache<String, Bucket> local =
      Caffeine.newBuilder()
          .maximumSize(LOCAL_BUCKETS)
          .expireAfterAccess(Duration.ofHours(1))
          .build();
  private final AtomicReference<CompletableFuture<Remote>> connecting = new AtomicReference<>();
  private volatile StatefulRedisConnection<byte[], byte[]> connection;
  private volatile long redisPausedUntil = System.nanoTime();
  private volatile boolean outage;

  public TokenBuckets(
      BeanLocator beans,
      @Nullable @Value("${" + PlinthProperties.CACHE_REDIS_SERVER_NAME + ":}") String server,
      @Value("${micronaut.application.name:plinth}") String appName) {
    this.beans = beans;
    this.server = server == null || server.isBlank() ? null : server;
    this.keyPrefix = appName + ":rate:";
  }

  /**
   * Reserves one token of bucket {@code key}, going into debt if need be: zero when it was there,
   * else how long until it comes (the caller's run is due then).
   */
  public Duration reserve(String key, BucketConfiguration configuration) {
    if (redisUsable()) {
      try {
        long nanos =
            remote(key, configuration, p -> p.consumeIgnoringRateLimits(1))
                .get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        redisAnswered();
        return Duration.ofNanos(nanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        redisFailed(e);
      } catch (Exception e) {
        redisFailed(e);
      }
    }
    return Duration.ofNanos(local(key, configuration).consumeIgnoringRateLimits(1));
  }

  /**
   * Takes one token of bucket {@code key} if it is there; the probe says whether it was, what is
   * left and when the next one comes. Completes without blocking the caller's thread.
   */
  public CompletableFuture<ConsumptionProbe> tryConsume(
      String key, BucketConfiguration configuration) {
    if (!redisUsable()) {
      return CompletableFuture.completedFuture(
          local(key, configuration).tryConsumeAndReturnRemaining(1));
    }
    return remote(key, configuration, p -> p.tryConsumeAndReturnRemaining(1))
        .handle(
            (probe, error) -> {
              if (error == null) {
                redisAnswered();
                return probe;
              }
              redisFailed(error);
              return local(key, configuration).tryConsumeAndReturnRemaining(1);
            });
  }

  /**
   * {@code call} on the shared bucket {@code key}, bounded by {@link #REDIS_TIMEOUT} (by {@link
   * #CONNECT_TIMEOUT} while the first connection is being made, off the caller's thread).
   */
  private <T> CompletableFuture<T> remote(
      String key,
      BucketConfiguration configuration,
      Function<AsyncBucketProxy, CompletableFuture<T>> call) {
    CompletableFuture<Remote> remote = proxies();
    Duration timeout = remote.isDone() ? REDIS_TIMEOUT : CONNECT_TIMEOUT;
    return remote
        .thenCompose(r -> call.apply(r.bucket(keyPrefix + key, configuration)))
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The shared buckets of one Redis connection. Each key's proxy is kept and batches: the requests
   * that take from one bucket while its last compare-and-swap is out go to Redis together, in one,
   * instead of racing each other's swaps (50 concurrent requests of one client took p99 190 ms of
   * retries before; docs/performance.md).
   */
  private record Remote(ProxyManager<byte[]> manager, Cache<String, AsyncBucketProxy> buckets) {
    Remote(ProxyManager<byte[]> manager) {
      this(
          manager,
          Caffeine.newBuilder()
              .maximumSize(LOCAL_BUCKETS)
              .expireAfterAccess(Duration.ofHours(1))
              .build());
    }

    AsyncBucketProxy bucket(String key, BucketConfiguration configuration) {
      return buckets.get(
          key,
          k ->
              manager
                  .asAsync()
                  .builder()
                  .withOptimization(Optimizations.batching())
                  .build(
                      k.getBytes(StandardCharsets.UTF_8),
                      () -> CompletableFuture.completedFuture(configuration)));
    }
  }

  private Bucket local(String key, BucketConfiguration configuration) {
    Function<String, Bucket> create =
        k -> Bucket.builder().addLimit(configuration.getBandwidths()[0]).build();
    return local.get(key, create);
  }

  private boolean redisUsable() {
    return server != null && System.nanoTime() - redisPausedUntil >= 0;
  }

  private void redisAnswered() {
    if (outage) {
      outage = false;
      LOG.info("rate limits shared through Redis again");
    }
  }

  // One warning per outage; meanwhile the local buckets hold the limits without a Redis wait.
  private void redisFailed(Throwable error) {
    redisPausedUntil = System.nanoTime() + OUTAGE_PAUSE.toNanos();
    if (!outage) {
      outage = true;
      LOG.atWarn().setCause(error).log("rate limits per instance: Redis did not answer in time");
    }
  }

  // One connection, made once on another thread; made again after an outage pause if it failed.
  private CompletableFuture<Remote> proxies() {
    CompletableFuture<Remote> current = connecting.get();
    if (current != null && !current.isCompletedExceptionally()) {
      return current;
    }
    CompletableFuture<Remote> next = new CompletableFuture<>();
    if (!connecting.compareAndSet(current, next)) {
      return connecting.get();
    }
    CompletableFuture.runAsync(
        () -> {
          try {
            RedisClient redis = beans.getBean(RedisClient.class, Qualifiers.byName(server));
            StatefulRedisConnection<byte[], byte[]> made = redis.connect(ByteArrayCodec.INSTANCE);
            made.setTimeout(REDIS_TIMEOUT);
            connection = made;
            next.complete(
                new Remote(
                    Bucket4jLettuce.casBasedBuilder(made)
                        .expirationAfterWrite(
                            ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                                Duration.ofMinutes(1)))
                        .build()));
          } catch (RuntimeException e) {
            next.completeExceptionally(e);
          }
        });
    return next;
  }

  @PreDestroy
  synchronized void close() {
    if (connection != null) {
      connection.close();
    }
  }
}
