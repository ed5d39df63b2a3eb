package dev.plinth.platform.redis;

import dev.plinth.platform.dockerflow.CheckMessage;
import dev.plinth.platform.dockerflow.HealthCheck;
import java.util.List;

/**
 * Heartbeat check shared by the session and cache Redis sets: PING over the set's own connection.
 * The text names the set, never the URI (which may carry a password).
 */
public abstract class RedisReachableCheck implements HealthCheck, AutoCloseable {
  private final String name;
  private final String variable;
  private final LazyRedisConnection connection;

  protected RedisReachableCheck(String name, String variable, LazyRedisConnection connection) {
    this.name = name;
    this.variable = variable;
    this.connection = connection;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<CheckMessage> run() {
    try {
      String pong = connection.get().sync().ping();
      if ("PONG".equalsIgnoreCase(pong)) {
        return List.of();
      }
      return List.of(error("answered PING with " + pong));
    } catch (RuntimeException e) {
      return List.of(error("unreachable: " + e.getClass().getSimpleName()));
    }
  }

  private CheckMessage error(String what) {
    return CheckMessage.error("plinth." + name + ".E001", "Redis of " + variable + " " + what);
  }

  @Override
  public void close() {
    connection.close();
  }
}
