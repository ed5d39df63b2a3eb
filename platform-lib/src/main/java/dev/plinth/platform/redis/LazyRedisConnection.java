package dev.plinth.platform.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;

/**
 * One Redis connection opened on first use rather than at start-up, so that a service starts and
 * serves while its Redis is away; a failed attempt is retried on the next use. Once open, Lettuce
 * reconnects by itself.
 */
public final class LazyRedisConnection implements AutoCloseable {
  private final RedisClient client;
  private volatile StatefulRedisConnection<byte[], byte[]> connection;

  public LazyRedisConnection(RedisClient client) {
    this.client = client;
  }

  /**
   * The open connection.
   *
   * @throws io.lettuce.core.RedisConnectionException when the server cannot be reached
   */
  public StatefulRedisConnection<byte[], byte[]> get() {
    StatefulRedisConnection<byte[], byte[]> current = connection;
    if (current != null) {
      return current;
    }
    synchronized (this) {
      if (connection == null) {
        connection = client.connect(ByteArrayCodec.INSTANCE);
      }
      return connection;
    }
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }
}
