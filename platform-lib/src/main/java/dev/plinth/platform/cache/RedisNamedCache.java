package dev.plinth.platform.cache;

import dev.plinth.platform.redis.LazyRedisConnection;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.cache.SyncCache;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One named cache in Redis. Errors are thrown, not hidden: the cache interceptor hands them to
 * {@link DegradingCacheErrorHandler}, which logs and counts them and lets the call go uncached.
 */
final class RedisNamedCache implements SyncCache<StatefulRedisConnection<byte[], byte[]>> {
  private final String name;
  private final String keyPrefix;
  private final LazyRedisConnection connection;
  private final JsonMapper json;
  private final long ttlMillis;

  RedisNamedCache(
      String name,
      String keyPrefix,
      LazyRedisConnection connection,
      JsonMapper json,
      Duration ttl) {
    this.name = name;
    this.keyPrefix = keyPrefix;
    this.connection = connection;
    this.json = json;
    this.ttlMillis = ttl.toMillis();
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public StatefulRedisConnection<byte[], byte[]> getNativeCache() {
    return connection.get();
  }

  @Override
  public <T> Optional<T> get(Object key, Argument<T> requiredType) {
    byte[] stored = commands().get(key(key));
    return stored == null ? Optional.empty() : Optional.of(read(stored, requiredType));
  }

  @Override
  public <T> T get(Object key, Argument<T> requiredType, Supplier<T> supplier) {
    Optional<T> cached = get(key, requiredType);
    if (cached.isPresent()) {
      return cached.get();
    }
    T value = supplier.get();
    if (value != null) {
      put(key, value);
    }
    return value;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Optional<T> putIfAbsent(Object key, T value) {
    byte[] k = key(key);
    String set = commands().set(k, write(value), SetArgs.Builder.nx().px(ttlMillis));
    if ("OK".equals(set)) {
      return Optional.empty();
    }
    byte[] existing = commands().get(k);
    return existing == null
        ? Optional.empty()
        : Optional.of(read(existing, (Argument<T>) Argument.of(value.getClass())));
  }

  @Override
  public void put(Object key, Object value) {
    commands().set(key(key), write(value), SetArgs.Builder.px(ttlMillis));
  }

  @Override
  public void invalidate(Object key) {
    commands().del(key(key));
  }

  @Override
  public void invalidateAll() {
    RedisCommands<byte[], byte[]> commands = commands();
    ScanArgs match = ScanArgs.Builder.matches(keyPrefix + "*").limit(500);
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<byte[]> page = commands.scan(cursor, match);
      List<byte[]> keys = page.getKeys();
      if (!keys.isEmpty()) {
        commands.del(keys.toArray(new byte[0][]));
      }
      cursor = page;
    } while (!cursor.isFinished());
  }

  private RedisCommands<byte[], byte[]> commands() {
    return connection.get().sync();
  }

  private byte[] key(Object key) {
    return (keyPrefix + key).getBytes(StandardCharsets.UTF_8);
  }

  private byte[] write(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise a value for cache " + name, e);
    }
  }

  private <T> T read(byte[] stored, Argument<T> type) {
    try {
      return json.readValue(stored, type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a value of cache " + name, e);
    }
  }
}
