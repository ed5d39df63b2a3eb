package dev.plinth.platform.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A database index of the tests' Redis (the local one on 127.0.0.1:6379, else a container) for one
 * test run: picked at random from 10-15 so that runs and other helpers' tests rarely share one,
 * flushed when taken and when closed. Fails with what to start when Redis is not there.
 */
public final class RedisTestDatabase implements AutoCloseable {
  /** The host of the tests' Redis ({@link TestServices#redis()}). */
  public static String host() {
    return TestServices.redis().host();
  }

  /** The port of the tests' Redis. */
  public static int port() {
    return TestServices.redis().port();
  }

  private final int db;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  private RedisTestDatabase(int db) {
    this.db = db;
    RedisURI uri = RedisURI.Builder.redis(host(), port()).withDatabase(db).build();
    uri.setTimeout(Duration.ofSeconds(5));
    this.client = RedisClient.create(uri);
    StatefulRedisConnection<String, String> opened;
    try {
      opened = client.connect();
    } catch (RuntimeException e) {
      client.shutdown();
      throw new IllegalStateException(
          "Redis is not reachable on "
              + host()
              + ":"
              + port()
              + " - start it (e.g. `redis-server --daemonize yes`) and run the tests again",
          e);
    }
    this.connection = opened;
    commands().flushdb();
  }

  /** Takes a random database from 10 to 15 and flushes it. */
  public static RedisTestDatabase take() {
    return new RedisTestDatabase(ThreadLocalRandom.current().nextInt(10, 16));
  }

  /** Takes another random database from 10 to 15 than {@code taken}, and flushes it. */
  public static RedisTestDatabase takeOtherThan(RedisTestDatabase taken) {
    int db = ThreadLocalRandom.current().nextInt(10, 15);
    return new RedisTestDatabase(db >= taken.db ? db + 1 : db);
  }

  public int db() {
    return db;
  }

  public RedisCommands<String, String> commands() {
    return connection.sync();
  }

  /** Keys matching {@code pattern} in this database. */
  public List<String> keys(String pattern) {
    return commands().keys(pattern);
  }

  @Override
  public void close() {
    try {
      commands().flushdb();
    } finally {
      connection.close();
      client.shutdown();
    }
  }
}
